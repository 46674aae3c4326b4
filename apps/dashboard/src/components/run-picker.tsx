'use client';
/** A labelled run selector: changing it loads the same view for another run (a document navigation, see `lib/views.ts`). */
import { usePathname, useSearchParams } from 'next/navigation';

import { Options } from './select-field';

export interface RunOption {
  readonly id: string;
  readonly label: string;
}

export function RunPicker({ runs, current }: { runs: readonly RunOption[]; current: string }) {
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <label className="run-picker">
      <span>Run</span>
      <select
        value={current}
        onChange={(event) => {
          const next = new URLSearchParams(params.toString());
          next.set('run', event.target.value);
          next.delete('cursor');
          window.location.assign(`${pathname}?${next.toString()}`);
        }}
      >
        <Options options={runs.map((run) => ({ value: run.id, label: run.label }))} />
      </select>
    </label>
  );
}
