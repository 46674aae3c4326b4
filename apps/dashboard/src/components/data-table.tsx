/**
 * The views' tables: a scrolling wrapper, a `data-table` name (what the browser test and styles select by), a
 * head row built from a list of columns (numeric ones right-aligned like their cells) and the body rows.
 */
import { isValidElement, type ReactElement, type ReactNode } from 'react';

/** A column: a plain label, a label with its alignment and React key, or a whole header cell (a sort link). */
export type HeadColumn =
  | string
  | ReactElement
  | { readonly label: ReactNode; readonly numeric?: boolean; readonly key?: string };

/** A right-aligned (numeric) column. */
export const numeric = (label: string): HeadColumn => ({ label, numeric: true, key: label });

export function TableHead({ columns }: { columns: readonly HeadColumn[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, i) => {
          if (isValidElement(column)) return column;
          const c = typeof column === 'string' ? { label: column, key: column } : column;
          return (
            <th key={c.key ?? i} scope="col" className={c.numeric === true ? 'num' : undefined}>
              {c.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

export function DataTable({
  name,
  label,
  className,
  columns,
  children,
}: {
  /** The table's `data-table` name. */
  name?: string;
  /** What the table holds, naming its scrolling region for screen readers. @default its name */
  label?: string;
  className?: string;
  columns: readonly HeadColumn[];
  /** The body rows. */
  children: ReactNode;
}) {
  return (
    // A keyboard user scrolls a wide table by focusing its region (WCAG 2.1.1).
    <div
      className="table-wrap"
      role="region"
      tabIndex={0}
      aria-label={label ?? `${name ?? 'data'} table`}
    >
      <table data-table={name} className={className}>
        <TableHead columns={columns} />
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
