// Makes docs/examples/machines.csv: a made-up, imbalanced four-class table with string labels (npx tsx docs/examples/make-machines.ts).
// Four sensor readings of a machine; its state is normal (most of the time), worn, misaligned or failing (rare).
import { writeFileSync } from 'node:fs';
import { rng } from '../../engine/index.js';

const random = rng(2024);
// Per state: how many rows, and the mean of temperature (°C), vibration (mm/s), current (A), noise (dB).
const STATES: [string, number, number[]][] = [
  ['normal', 420, [60, 2.0, 10, 70]],
  ['worn', 110, [66, 3.2, 11, 74]],
  ['misaligned', 50, [62, 4.0, 10.5, 78]],
  ['failing', 20, [72, 4.4, 12.5, 80]],
];
const SPREAD = [4, 0.7, 0.8, 3];
const rows: string[] = [];
for (const [state, count, mean] of STATES) {
  for (let k = 0; k < count; k++) {
    const values = mean.map((m, j) => (m + SPREAD[j] * random.normal()).toFixed(2));
    rows.push([...values, state].join(','));
  }
}
random.shuffle(rows);
writeFileSync(new URL('machines.csv', import.meta.url), `temperature,vibration,current,noise,state\n${rows.join('\n')}\n`);
