import type { Filters } from './types';

/** A refused /v1 call, from its problem+json body when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The filters as query parameters: empty ones left out, local date-times turned into RFC 3339 UTC. */
export function filterParams(filters: Partial<Filters>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(filters)) {
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!value) continue;
    params[name] = name === 'received_from' || name === 'received_to' ? toRfc3339(value) : value;
  }
  return params;
}

function toRfc3339(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

export const queryString = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/**
 * Calls the gateway's JSON API with the key in the Authorization header: never in the URL, which the
 * gateway logs. `onUnauthorized` hears a 401 (key revoked or mistyped) so the console can sign out.
 */
export class Api {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.send<T>(path, { method: 'GET' });
  }

  post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>(path, { method: 'PATCH', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  }

  /** A text answer (a signed note, say) with its headers. */
  async text(path: string): Promise<{ text: string; headers: Headers }> {
    const response = await this.fetch(path, { method: 'GET', headers: { Accept: 'text/plain' } });
    return { text: await response.text(), headers: response.headers };
  }

  /** Downloads a file the API streams, as a Blob, with the name the server suggests. */
  async download(path: string): Promise<{ blob: Blob; filename: string }> {
    const response = await this.fetch(path, { method: 'GET' });
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'export';
    return { blob: await response.blob(), filename };
  }

  private async send<T>(path: string, init: RequestInit): Promise<T> {
    const response = await this.fetch(path, init);
    return (await response.json()) as T;
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, {
        ...init,
        cache: 'no-store',
        credentials: 'omit',
        headers: { Accept: 'application/json', ...init.headers, Authorization: `Bearer ${this.key}` },
      });
    } catch {
      throw new ApiError(0, 'The gateway did not answer. Check that it is running and try again.');
    }
    if (response.ok) return response;
    const error = await problemOf(response);
    if (error.status === 401) this.onUnauthorized();
    throw error;
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    // `detail` says what was wrong with this request; `title` only names the kind of problem.
    const body = (await response.json()) as { title?: string; detail?: string; code?: string; request_id?: string };
    return new ApiError(response.status, body.detail ?? body.title ?? response.statusText, body.code, body.request_id);
  } catch {
    return new ApiError(response.status, `${response.status} ${response.statusText}`);
  }
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const describeError = (error: unknown): string => {
  if (error instanceof ApiError) return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  return error instanceof Error ? error.message : String(error);
};
