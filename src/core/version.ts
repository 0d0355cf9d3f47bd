// The tool's version as reports carry it; a test keeps it equal to package.json's.

export const VERSION = '0.1.0';
