// "Which queue am I?": how often the matcher names the right queue from a few days of record,
// and whether it ever names a wrong one with confidence, on seeded synthetic schedules shaped like
// the real GPV files (test/support/queue-records.ts).
//   npm run bench:queue-match [-- --trials 1000 --days 3]
import { parseArgs } from 'node:util';
import { matchQueues } from '../src/schedules/queue-match.js';
import { QUEUES, seeded, syntheticDays, syntheticRecord, type RecordNoise } from '../test/support/queue-records.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '1000' }, days: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' } } });
const trials = Number(values.trials);
const dayCount = Number(values.days);
const MINUTE = 60_000;

const cases: { name: string; noise: RecordNoise }[] = [
  { name: '±15 min jitter', noise: { jitterMs: 15 * MINUTE, missing: 0, extra: 0 } },
  { name: '±15 min, 10% missing', noise: { jitterMs: 15 * MINUTE, missing: 0.1, extra: 0 } },
  { name: '±15 min, 10% extra', noise: { jitterMs: 15 * MINUTE, missing: 0, extra: 0.1 } },
  { name: '±15 min, 10% missing + 10% extra', noise: { jitterMs: 15 * MINUTE, missing: 0.1, extra: 0.1 } },
];

console.log(`queue matcher: ${trials} trials per case, ${dayCount} days of record, 12 queues, seed ${values.seed}`);
for (const { name, noise } of cases) {
  const rand = seeded(Number(values.seed));
  let right = 0;
  let wrong = 0;
  let notSure = 0;
  let noneFits = 0;
  let indistinguishable = 0;
  let distinguishable = 0;
  let rightDistinguishable = 0;
  const started = performance.now();
  for (let trial = 0; trial < trials; trial += 1) {
    const days = syntheticDays(rand, '2026-01-05', dayCount);
    const truth = QUEUES[Math.floor(rand() * QUEUES.length)]!;
    const power = syntheticRecord(days, truth, noise, rand);
    // Queues whose plans equal the truth's on every day cannot be told apart by any record.
    const twins = QUEUES.filter((q) => q !== truth && days.every((d) => JSON.stringify(d.queues[q]) === JSON.stringify(d.queues[truth])));
    if (twins.length > 0) indistinguishable += 1;
    else distinguishable += 1;
    const verdict = matchQueues(days, power, days[days.length - 1]!.end);
    if (verdict.kind === 'match') {
      if (verdict.best.queue === truth) {
        right += 1;
        if (twins.length === 0) rightDistinguishable += 1;
      }
      else wrong += 1;
    } else if (verdict.kind === 'not-sure') notSure += 1;
    else if (verdict.kind === 'none-fits') noneFits += 1;
  }
  const ms = (performance.now() - started) / trials;
  const pct = (n: number) => `${((100 * n) / trials).toFixed(1)}%`;
  console.log(
    `${name.padEnd(34)} right ${pct(right).padStart(6)} (${((100 * rightDistinguishable) / distinguishable).toFixed(1)}% of ${distinguishable} with no twin)  confident wrong ${wrong}  not sure ${pct(notSure)}  none fits ${noneFits}` +
      `  (twins in the plan: ${indistinguishable})  ${ms.toFixed(2)} ms/trial`,
  );
}
