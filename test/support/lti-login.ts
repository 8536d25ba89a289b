/**
 * Where the tool's OIDC login sends the browser next: its redirect, or, when the login keeps the
 * state in the browser too (Canvas's platform storage, a top-level window), the page's `data-next`
 * (its script goes there once the state is stored; an HTTP client goes straight on, with the cookie).
 */
export function loginNext(answer: {
  status: number;
  headers: Record<string, unknown>;
  text?: string;
}): string {
  if (answer.status === 302 || answer.status === 303) return String(answer.headers.location ?? '');
  if (answer.status !== 200 || !answer.text) return '';
  const page = storedStatePage(answer.text);
  return page?.next ?? '';
}

export interface StoredStatePage {
  action: string;
  store: string;
  target: string;
  origin: string;
  entries: { key: string; value: string }[];
  next: string;
}

/** The data attributes of the login's or the launch's client-side state page, unescaped. */
export function storedStatePage(html: string): StoredStatePage | undefined {
  const attribute = (name: string) => {
    const match = new RegExp(`data-${name}="([^"]*)"`).exec(html);
    return match ? unescapeHtml(match[1] as string) : undefined;
  };
  const action = attribute('lti-state');
  if (!action) return undefined;
  return {
    action,
    store: attribute('store') ?? '',
    target: attribute('target') ?? '',
    origin: attribute('origin') ?? '',
    entries: JSON.parse(attribute('entries') ?? '[]') as { key: string; value: string }[],
    next: attribute('next') ?? '',
  };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
