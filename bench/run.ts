/** `npm run bench -- NAME [args]`: runs bench/NAME.ts, which prints a table. */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run.ts'].includes(f) && !f.startsWith('_')).map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(join(here, `${name}.ts`))) {
  console.log(`usage: npm run bench -- <name>\navailable: ${available.join(', ')}`);
  process.exit(name ? 2 : 0);
}
process.argv.splice(2, 1);
const mod = await import(pathToFileURL(join(here, `${name}.ts`)).href);
if (typeof mod.main === 'function') await mod.main();
