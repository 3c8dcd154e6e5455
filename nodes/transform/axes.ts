import { z } from 'zod';

/** The `axes` param shared by the transforms: omitted means every axis; negatives count from the end. */
export const axesParam = z.array(z.number().int().min(-32).max(31)).min(1).optional().describe('axes to transform (default: all; −1 is the last)');
