/**
 * The Detectors view's verdict: can any detector see this shift? One sentence from the AUROCs (0.5 is a coin
 * toss), the score direction, and what follows for flagging traffic.
 */
import { fmt } from '../lib/format';
import type { Detection } from '../lib/report';

/** AUROC within this of 0.5 separates ID from OOD no better than chance, for practical purposes. */
const CHANCE_BAND = 0.05;

export function DetectorVerdict({ detection }: { detection: Record<string, Detection> }) {
  const entries = Object.entries(detection).sort((a, b) => b[1].auroc - a[1].auroc);
  const best = entries[0];
  if (best === undefined) return null;
  const aurocs = entries.map(([, d]) => d.auroc);
  const lo = Math.min(...aurocs);
  const hi = Math.max(...aurocs);
  const blind = entries.every(([, d]) => Math.abs(d.auroc - 0.5) < CHANCE_BAND);
  return (
    <section
      className="panel verdict"
      aria-labelledby="detector-verdict-h"
      data-verdict="detectors"
    >
      <h2 id="detector-verdict-h">Verdict: can the detectors see the shift?</h2>
      <p data-verdict-finding>
        <strong>
          {blind
            ? `No: these detectors cannot see this shift. Every AUROC is between ${fmt(lo, 2)} and ${fmt(hi, 2)}, where 0.5 is a coin toss.`
            : `Partly: ${best[0]} separates OOD from ID test pairs best (AUROC ${fmt(best[1].auroc, 2)}; 0.5 is a coin toss, 1 perfect); the range is ${fmt(lo, 2)}–${fmt(hi, 2)}.`}
        </strong>
      </p>
      <p>
        {blind
          ? 'Next: do not gate traffic on these scores; a threshold flags ID and OOD pairs alike. The shifted pairs look like training data to the model, so look for the gap in the pairs themselves (Samples, Slices).'
          : `Next: move the threshold below to see what ${best[0]} would flag and how much accuracy the kept pairs gain.`}{' '}
        Every score here is oriented so that higher means more out of distribution.
      </p>
    </section>
  );
}
