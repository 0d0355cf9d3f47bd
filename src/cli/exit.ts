// The only place that maps outcomes to exit status (clamscan's convention): 0 clean, 1 found, 2 could not run.

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;

export type ExitStatus = typeof EXIT_CLEAN | typeof EXIT_FOUND | typeof EXIT_ERROR;
