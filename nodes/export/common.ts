// The file-name param every export node shares, and the name with its extension.
import { z } from 'zod';

/** A file name in the output folder (no folders), `ext` added by `withExtension` if missing. */
export const fileNameParam = (fallback: string, ext: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, ".", "_" and "-" only (no folders)')
    .default(fallback)
    .describe(`file name; "${ext}" is added if missing`);

export const withExtension = (name: string, ext: string): string => (name.endsWith(ext) ? name : `${name}${ext}`);
