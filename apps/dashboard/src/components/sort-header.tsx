/**
 * A column header that sorts the table by its column: a plain link to the sorted view (a document navigation, see
 * `lib/views.ts`), with `aria-sort` and an arrow.
 */

export function SortHeader({
  label,
  sortKey,
  href,
  active,
  order,
  numeric = true,
}: {
  label: string;
  /** The column's sort key (`data-sort`). */
  sortKey: string;
  /** The view sorted by this column (toggled order when it is the active one). */
  href: string;
  /** Whether the table is sorted by this column now. */
  active: boolean;
  order: 'asc' | 'desc';
  /** @default true */
  numeric?: boolean;
}) {
  return (
    <th
      scope="col"
      className={numeric ? 'num' : undefined}
      aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <a href={href} data-sort={sortKey}>
        {label}
        {active ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
      </a>
    </th>
  );
}
