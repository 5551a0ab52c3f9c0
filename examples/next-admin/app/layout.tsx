import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import '@review-jobs/react/styles.css';
import './globals.css';
import { DemoBanner } from './demo-banner';
import { JobsClientProvider } from './jobs-client-provider';

export const metadata: Metadata = {
  title: 'review-jobs 관리자',
  description: 'AI review generation in the background, with live progress',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ko">
      <body>
        <header className="app-header">
          <span className="app-brand">review-jobs 관리자</span>
          <nav aria-label="주 메뉴">
            <Link href="/submissions">제출 목록</Link>
            <Link href="/admin/background-jobs">백그라운드 작업</Link>
          </nav>
        </header>
        <DemoBanner />
        <main className="app-main">
          <JobsClientProvider>{children}</JobsClientProvider>
        </main>
      </body>
    </html>
  );
}
