import { pick, type Random } from '@review-jobs/core/fake';

// Sentences attach to the place name with particles that do not depend on its last
// syllable (에, a comma), so any name reads naturally.
const OPENINGS = [
  '{place}에 처음 가봤는데 기대 이상이었어요.',
  '친구 추천으로 {place}에 다녀왔어요.',
  '주말에 가족과 함께 {place}에 다녀왔습니다.',
  '오랜만에 {place}에 들렀어요.',
  '퇴근길에 {place}에 들렀는데 만족스러웠어요.',
  '{place} 방문 후기 남겨요.',
  '지나가다 우연히 {place}에 들어가 봤어요.',
  '평소 궁금했던 {place}에 드디어 가봤어요.',
] as const;

const MIDDLES = [
  '직원분들이 친절하게 설명해 주셔서 편하게 이용했어요.',
  '매장이 깔끔하고 분위기가 아늑해서 오래 머물고 싶었어요.',
  '대표 메뉴를 먹어봤는데 양도 넉넉하고 맛도 좋았어요.',
  '가격이 합리적이라 부담 없이 즐길 수 있었어요.',
  '주차 공간이 넉넉해서 차를 가져가기 편했어요.',
  '창가 자리에 앉으니 햇살이 들어와서 기분이 좋았어요.',
  '음식이 빨리 나와서 점심시간에도 여유로웠어요.',
  '아이와 함께 갔는데도 세심하게 챙겨주셔서 감동했어요.',
  '재료가 신선한 게 느껴져서 믿고 먹을 수 있었어요.',
  '예약하고 갔더니 기다리지 않고 바로 안내받았어요.',
  '화장실도 깨끗하게 관리되어 있어서 좋았어요.',
  '사장님이 추천해 주신 메뉴가 정말 맛있었어요.',
  '음악 소리도 적당해서 대화하기 좋았어요.',
  '포장도 꼼꼼하게 해주셔서 집에서도 맛있게 먹었어요.',
] as const;

const CLOSINGS = [
  '다음에도 꼭 다시 방문할게요.',
  '주변 지인들에게도 추천하고 싶은 곳이에요.',
  '근처에 오시면 한 번 들러보세요.',
  '재방문 의사 100%입니다.',
  '{place}, 다음에 또 올게요!',
  '좋은 시간 보내고 갑니다.',
] as const;

export const REVIEW_MIN_LENGTH = 100;
export const REVIEW_MAX_LENGTH = 150;

const lengthOf = (text: string): number => [...text].length;

function draft(placeName: string, random: Random): string {
  const opening = pick(random, OPENINGS).replace('{place}', placeName);
  const closing = pick(random, CLOSINGS).replace('{place}', placeName);
  const middles = [...MIDDLES];
  const sentences = [opening];
  // Add experiences until opening + middles + closing reaches the minimum.
  while (lengthOf([...sentences, closing].join(' ')) < REVIEW_MIN_LENGTH && middles.length > 0) {
    const [middle] = middles.splice(Math.floor(random() * middles.length), 1);
    sentences.push(middle as string);
  }
  return [...sentences, closing].join(' ');
}

/**
 * A Korean review of 100-150 characters (code points) about `placeName`, as the real
 * model writes for the plan's prompt. Different draws give different reviews; a name so
 * long that no draft fits is cut at 150.
 */
export function koreanReviewText(placeName: string, random: Random): string {
  let text = draft(placeName, random);
  for (let attempt = 0; attempt < 20 && lengthOf(text) > REVIEW_MAX_LENGTH; attempt++) {
    text = draft(placeName, random);
  }
  return lengthOf(text) > REVIEW_MAX_LENGTH ? [...text].slice(0, REVIEW_MAX_LENGTH).join('') : text;
}
