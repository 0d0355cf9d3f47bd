// Builds the bundled family database from the project's own synthetic families (compiled with MinGW, never run).
// Usage: node dist/test/similarity/build-db.js [OUT.db]   (default rules/similarity.db; npm run build:similarity-db)
// The result is committed, so an install needs no MinGW; rebuild it after changing test/similarity/c or extraction.

import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { buildFamilyDb } from './familydb.js';

const out = process.argv[2] ?? join(PROJECT_ROOT, 'rules', 'similarity.db');
const r = buildFamilyDb(out);
console.error(`build-db: ${r.samples} family samples and ${r.common} baseline samples in ${out}`);
