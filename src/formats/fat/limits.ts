// Named limits that bound the work any volume, however hostile, can cause.

/** Entries (live, deleted, `.`/`..`) collected in one walk. */
export const MAX_ENTRIES = 4_000_000;
/** Directory nesting followed; deeper directories are reported, not entered. */
export const MAX_DEPTH = 64;
/** Bytes of one FAT directory (the spec's limit is 65,536 entries of 32 bytes). */
export const MAX_FAT_DIR_BYTES = 65536 * 32;
/** Bytes of one exFAT directory (the spec allows 256 MiB; no real directory comes near). */
export const MAX_EXFAT_DIR_BYTES = 64 * 1024 * 1024;
/** Bytes of directory data read in one walk, over all directories (and never more than twice the volume's data). */
export const MAX_TOTAL_DIR_BYTES = 2 * 1024 * 1024 * 1024;
/** Clusters for which ownership is tracked (cross-links, loops): a 4-byte slot each, so 64 MiB at most. */
export const MAX_TRACKED_CLUSTERS = 16 * 1024 * 1024;
/** Bytes of one FAT held in memory at once; larger FATs are read in chunks. */
export const FAT_CHUNK_BYTES = 1024 * 1024;
export const MAX_FAT_CHUNKS_CACHED = 64;
/** FATs larger than this are not compared copy against copy. */
export const MAX_FAT_COMPARE_BYTES = 64 * 1024 * 1024;
/** Largest read issued at once when scanning unallocated space or reading content. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;
/** Anomalies kept per volume; further ones are counted as dropped. */
export const MAX_ANOMALIES = 10_000;
/** Free-space runs holding data that are listed one by one (the total is always given). */
export const MAX_LISTED_RUNS = 100;
/** Largest file content returned in memory by readEntry; streaming goes through entryExtents. */
export const MAX_READ_ENTRY_BYTES = 512 * 1024 * 1024;
/** Clusters checked for allocation, over all deleted entries of a walk, when judging what can be recovered. */
export const MAX_RECOVERY_CHECKS = 16 * 1024 * 1024;
/** FATs up to this size are read into memory whole (the FAT of a 64 GiB FAT32 volume with 4 KiB clusters). */
export const MAX_FAT_IN_MEMORY = 64 * 1024 * 1024;
/** Chain steps (clusters followed through the FAT) in one walk; past it chains are no longer followed. */
export const MAX_CHAIN_STEPS = 64 * 1024 * 1024;
/** Bytes read to look at file slack in one walk; past it the remaining files' slack is not checked. */
export const MAX_SLACK_READ_BYTES = 1024 * 1024 * 1024;
/** Largest read of the slack pass: small enough that what was read is still in the CPU's cache when it is scanned. */
export const SLACK_READ_BYTES = 512 * 1024;
/** Needed slack regions closer than this are read in one read rather than two. */
export const SLACK_GAP_BYTES = 64 * 1024;
