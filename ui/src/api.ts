// Fetching from the daemon (same origin), with the optional bearer token.
import type { AsnAnswer, CompareAnswer, EventsAnswer, PrefixAnswer, Source, Stats, Vp } from './types';

const TOKEN_KEY = 'bgpsentry.token';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = () => void;
const authListeners = new Set<Listener>();
let authNeeded = false;
let authVersion = 0;

export function getToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: the token lasts until reload */
  }
  authNeeded = false;
  authVersion++;
  authListeners.forEach((l) => l());
}

export function isAuthNeeded(): boolean {
  return authNeeded;
}

export function getAuthVersion(): number {
  return authVersion;
}

export function onAuthChange(l: Listener): () => void {
  authListeners.add(l);
  return () => authListeners.delete(l);
}

function markAuthNeeded(): void {
  if (authNeeded) return;
  authNeeded = true;
  authListeners.forEach((l) => l());
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers, signal, cache: 'no-store' });
  if (res.status === 401) {
    markAuthNeeded();
    throw new ApiError(401, token ? 'The token was not accepted.' : 'The daemon asks for a token.');
  }
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body && typeof body.error === 'string') msg = body.error;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, msg);
  }
  return (await res.json()) as T;
}

function qs(params: Record<string, string | boolean | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === false || v === '') continue;
    p.set(k, v === true ? '1' : v);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const api = {
  stats: (s?: AbortSignal) => apiGet<Stats>('/api/v1/stats', s),
  sources: (s?: AbortSignal) => apiGet<Source[]>('/api/v1/sources', s),
  vps: (s?: AbortSignal) => apiGet<Vp[]>('/api/v1/vps', s),
  events: (after: number, s?: AbortSignal) => apiGet<EventsAnswer>(`/api/v1/events${qs({ after: String(after) })}`, s),
  prefix: (prefix: string, o: { more?: boolean; less?: boolean; source?: string; tag?: string }, s?: AbortSignal) =>
    apiGet<PrefixAnswer>(
      `/api/v1/prefix/${prefix}${qs({ more_specifics: o.more, less_specifics: o.less, source: o.source, tag: o.tag })}`,
      s,
    ),
  asn: (asn: number, s?: AbortSignal) => apiGet<AsnAnswer>(`/api/v1/asn/${asn}`, s),
  compare: (prefix: string, a: string, b: string, o: { more?: boolean; less?: boolean }, s?: AbortSignal) =>
    apiGet<CompareAnswer>(`/api/v1/compare${qs({ prefix, a, b, more_specifics: o.more, less_specifics: o.less })}`, s),
};

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/v1/ws`;
}
