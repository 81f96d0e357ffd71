/**
 * Root layout of the Next app (the /ui dashboard, later the /lab). Each section brings its own
 * styles; this only sets the document shell.
 */
import type { ReactNode } from 'react';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
