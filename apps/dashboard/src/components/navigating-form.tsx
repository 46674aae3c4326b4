'use client';
/**
 * A GET form that navigates on the client (`next/form`, so client state such as the Playground's loaded model
 * survives), and makes sure the navigation lands. Next.js 15's client router now and then fetches the new render
 * of a same-route, new-query navigation (200, complete) and never commits it, leaving the page on the old input
 * (seen with `next start`, vercel/next.js#96413 and #83386); a second push of the same URL commits. So after a
 * submit this checks the address bar: if it does not show the target after `retryMs`, it pushes again, and after
 * a second wait it loads the target as a full page.
 */
import Form from 'next/form';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, type ReactNode } from 'react';

/** The URL a GET form submits to: its action with the form's fields as the query. */
function targetOf(form: HTMLFormElement, action: string): URL {
  const url = new URL(action, window.location.href);
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form))
    if (typeof value === 'string') query.append(name, value);
  url.search = query.toString();
  return url;
}

const landed = (target: URL): boolean =>
  window.location.pathname === target.pathname && window.location.search === target.search;

export function NavigatingForm({
  action,
  className,
  retryMs = 3000,
  children,
}: {
  action: string;
  className?: string;
  /** How long a navigation may take before it is pushed again. @default 3000 */
  retryMs?: number;
  children: ReactNode;
}) {
  const router = useRouter();
  const timers = useRef<number[]>([]);
  const clear = () => {
    for (const t of timers.current) window.clearTimeout(t);
    timers.current = [];
  };
  useEffect(() => clear, []);
  return (
    <Form
      action={action}
      {...(className === undefined ? {} : { className })}
      onSubmit={(event) => {
        clear();
        const target = targetOf(event.currentTarget, action);
        const href = `${target.pathname}${target.search}`;
        timers.current.push(
          window.setTimeout(() => {
            if (!landed(target)) router.push(href);
          }, retryMs),
          window.setTimeout(() => {
            if (!landed(target)) window.location.assign(href);
          }, 3 * retryMs),
        );
      }}
    >
      {children}
    </Form>
  );
}
