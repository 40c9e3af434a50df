import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function ErrorAlert({ children }: { children: ComponentChildren }) {
  return (
    <p class="alert alert-error" role="alert">
      {children}
    </p>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return <p class="alert alert-info">{children}</p>;
}

let announceTo: ((message: string) => void) | undefined;

/** Says something to screen readers without moving focus (results loaded, replay finished...). */
export function announce(message: string): void {
  announceTo?.(message);
}

export function Announcer() {
  const [message, setMessage] = useState('');
  useEffect(() => {
    announceTo = (text) => {
      // Clear first so the same message twice is read twice.
      setMessage('');
      setTimeout(() => setMessage(text), 50);
    };
    return () => (announceTo = undefined);
  }, []);
  return (
    <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {message}
    </div>
  );
}
