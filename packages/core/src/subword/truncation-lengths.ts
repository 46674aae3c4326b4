/**
 * How many tokens of each sequence survive truncation to a length budget, longest first: the rule of
 * Hugging Face `tokenizers` (`TruncationStrategy::LongestFirst` in `utils/truncation.rs`), which
 * shortens only the longer sequence when that suffices and otherwise splits the budget in halves
 * (the odd token to the longer one). Tokens are removed from the right.
 */
import { CoreError } from '../errors';

/**
 * Lengths of a single sequence or a pair after truncation.
 * @param budget - tokens left for the sequences once the special tokens are counted.
 * @param first - the first sequence's length.
 * @param second - the second sequence's length, for a pair.
 * @returns `[first, second]` lengths after truncation (`second` is 0 without a pair).
 * @example truncationLengths(10, 3, 20) // [3, 7]
 */
export function truncationLengths(budget: number, first: number, second = 0): [number, number] {
  if (!Number.isInteger(budget) || budget < 0)
    throw new CoreError(
      'INVALID_ARGUMENT',
      `truncation budget must be a whole number ≥ 0, got ${budget}`,
    );
  if (first + second <= budget) return [first, second];
  if (second === 0) return [Math.min(first, budget), 0];
  const swap = first > second;
  let short = swap ? second : first;
  let long: number;
  long = short > budget ? short : Math.max(short, budget - short);
  if (short + long > budget) {
    short = Math.floor(budget / 2);
    long = short + (budget % 2);
  }
  return swap ? [long, short] : [short, long];
}
