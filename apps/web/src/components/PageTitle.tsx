import { useEffect, useRef } from 'react';

/**
 * The page's h1. It sets the document title and takes focus when the page opens, so a route
 * change is announced and keyboard users start at the top of the new page.
 */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · Cognito Stack`;
    ref.current?.focus();
  }, [children]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
