// A tiny hash router: #/fleet, #/fleet/camera/SERIAL, #/readiness, #/stores, #/admin,
// #/clips, #/clips/{sha256}, #/clips/disclosures,
// #/firmware/{compliance,artifacts,campaigns,campaigns/new,campaigns/ID,windows}.
import { useEffect, useState } from 'react';

export const parseHash = (hash: string) =>
  hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

export function useRoute(): string[] {
  const [parts, setParts] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setParts(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;
