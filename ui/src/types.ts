// Shapes of the daemon's JSON answers (docs/api.md).

export interface MemoryEntry {
  count: number;
  bytes: number;
}

export interface Stats {
  uptime_s: number;
  routes: number;
  vps: number;
  vps_up: number;
  memory: { total_bytes: number; [subsystem: string]: MemoryEntry | number };
  prefixes?: { ipv4: number; ipv6: number };
}

export type SourceState = 'starting' | 'up' | 'degraded' | 'down' | 'done' | 'disabled';

export interface Gap {
  start_us: number;
  end_us: number;
  cause: string;
}

export interface Source {
  name: string;
  kind: string;
  enabled: boolean;
  state: SourceState;
  since_us: number;
  started_us: number;
  last_error: string;
  failures: number;
  retry_at_us: number;
  events: number;
  announcements: number;
  withdrawals: number;
  malformed: number;
  vps: number;
  vps_up: number;
  routes: number;
  events_per_s: number;
  events_per_s_1m: number;
  gaps_total: number;
  gaps: Gap[];
}

export type VpState = 'up' | 'down' | 'stale';

export interface Vp {
  id: number;
  name: string;
  source: string;
  address: string;
  asn: number;
  table: string;
  state: VpState;
  since_us: number;
  last_update_us: number;
  routes_v4: number;
  routes_v6: number;
  announcements: number;
  withdrawals: number;
  updates_per_s: number;
}

export interface SourceEvent {
  seq: number;
  time_us: number;
  source: string;
  kind: string;
  from: string;
  to: string;
  detail: string;
}

export interface EventsAnswer {
  events: SourceEvent[];
  last_seq: number;
}

export interface Summary {
  routes: number;
  vps_seeing: number;
  /** VPs whose route is kept, stale, while their feed is down: unknown now. */
  vps_stale?: number;
  vps_up: number;
  origins: number[];
  upstreams: number[];
}

export interface SourceSummary extends Summary {
  source: string;
}

export interface RouteVp {
  id: number;
  name: string;
  address: string;
  asn: number;
  table: string;
  state: string;
}

export interface Route {
  source: string;
  vp: RouteVp;
  stale: boolean;
  time: number;
  age: number;
  as_path: string;
  origin_asns: number[];
  origin: string;
  next_hop: string;
  communities: string[];
  large_communities: string[];
  med?: number;
  local_pref?: number;
  aggregator?: string;
  otc?: number;
  path_id?: number;
  atomic_aggregate?: boolean;
  rpki?: { rov: string; aspa: string };
}

export interface PrefixEntry {
  prefix: string;
  summary: Summary;
  sources: SourceSummary[];
  routes: Route[];
}

export interface PrefixAnswer {
  query: string;
  match: string;
  prefixes: PrefixEntry[];
}

export interface AsnAnswer {
  asn: number;
  originated: { prefix: string; routes: number }[];
  upstreams: { asn: number; paths: number }[];
  downstreams: { asn: number; paths: number }[];
  vps_seeing: number;
}

export interface CompareEntry {
  prefix: string;
  in_a: Summary;
  in_b: Summary;
  origins_only_in_a: number[];
  origins_only_in_b: number[];
  upstreams_only_in_a: number[];
  upstreams_only_in_b: number[];
  paths_only_in_a: string[];
  paths_only_in_b: string[];
  differ: boolean;
}

export interface CompareAnswer {
  query: string;
  a: string;
  b: string;
  prefixes: CompareEntry[];
  prefixes_differing: number;
}
