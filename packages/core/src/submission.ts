import { z } from 'zod';

/**
 * What `runner.start(submission)` accepts. Strict: an unknown field is an error, so a
 * typo ("palceName") is caught instead of silently ignored.
 */
export const submissionSchema = z
  .strictObject({
    submissionId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits and _ . : - only'),
    placeName: z.string().trim().min(1).max(200),
    script: z.string().trim().min(1).max(5_000),
    count: z.number().int().min(1).max(500),
    model: z.string().min(1).max(100).optional(),
    /** A template with {placeName}, {script}, {index} and {count} placeholders. */
    promptTemplate: z.string().min(1).max(5_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
  });

export type Submission = z.output<typeof submissionSchema>;
export type SubmissionInput = z.input<typeof submissionSchema>;
