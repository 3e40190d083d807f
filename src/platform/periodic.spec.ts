import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Periodic } from './periodic.ts';

describe('Periodic', () => {
  it('runs one pass at a time, again after a failed one, and stops waiting for the pass in flight', async () => {
    const log = pino({ level: 'silent' });
    let passes = 0;
    let running = 0;
    let overlap = false;
    const p = new Periodic('test', async () => {
      running++;
      if (running > 1) overlap = true;
      passes++;
      await new Promise((r) => setTimeout(r, 15));
      running--;
      if (passes === 2) throw new Error('second pass fails');
    }, 5, log);
    p.start(1);
    await new Promise((r) => setTimeout(r, 150));
    await p.stop();
    const after = passes;
    expect(after).toBeGreaterThanOrEqual(3); // the failed second pass did not stop the schedule
    expect(overlap).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toBe(after); // stopped
    expect(running).toBe(0);
  });
});
