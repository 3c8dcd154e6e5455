// Types of address-space.mjs (plain JavaScript: bin/corespace.js imports it before tsx's loader).
export declare const NEED: number;
export declare const NEED_WITHOUT_GUARDS: number;
export declare function addressSpaceLimit(limits?: string | null): number | null;
export declare function addressSpaceProblem(limit?: number | null, flagged?: boolean): string | null;
