import type { ComponentChildren } from 'preact';
import { formatNumber } from '../format';
import { lgHref } from '../route';

/** A number shown formatted, with its raw value in data-value for tests. */
export function Num(props: { value: number; testid?: string; text?: string; class?: string; col?: string }) {
  return (
    <span data-testid={props.testid} data-col={props.col} data-value={String(props.value)} class={props.class}>
      {props.text ?? formatNumber(props.value)}
    </span>
  );
}

export function StateBadge(props: { state: string }) {
  return <span class={`badge st-${props.state}`}>{props.state}</span>;
}

/** A link to the looking glass view of an AS. */
export function AsnLink(props: { asn: number; testid?: string; extra?: Record<string, string> }) {
  return (
    <a href={lgHref(`AS${props.asn}`)} data-testid={props.testid} data-asn={String(props.asn)} {...props.extra}>
      AS{props.asn}
    </a>
  );
}

export function PrefixLink(props: { prefix: string; testid?: string }) {
  return (
    <a href={lgHref(props.prefix)} data-testid={props.testid} data-prefix={props.prefix}>
      {props.prefix}
    </a>
  );
}

export function ErrorBox(props: { children: ComponentChildren; testid?: string }) {
  return (
    <p class="error" role="alert" data-testid={props.testid}>
      {props.children}
    </p>
  );
}

export function Card(props: { title: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${props.class ?? ''}`} aria-label={props.title}>
      <h2 class="card-title">{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A sortable column header: a button, with aria-sort on the th. */
export function SortTh(props: {
  col: string;
  label: string;
  sort: string;
  dir: 'asc' | 'desc';
  onSort: (col: string) => void;
  num?: boolean;
  /** a column the narrower screens leave out */
  optional?: boolean;
}) {
  const active = props.sort === props.col;
  const ariaSort = active ? (props.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} class={[props.num ? 'num' : '', props.optional ? 'opt' : ''].join(' ').trim() || undefined}>
      <button type="button" class="sort" data-sort={props.col} onClick={() => props.onSort(props.col)}>
        {props.label}
        <span aria-hidden="true" class="sort-ind">{active ? (props.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}
