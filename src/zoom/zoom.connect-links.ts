import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { randomToken, timingSafeEqualText } from '../shared/crypto';
import { errors } from '../shared/errors';
import type { Db } from '../storage';
import * as links from './zoom.connect-links.repo';
import { connectionBySchool } from './zoom.connections.repo';

/**
 * "Connect links": the school's LMS admin makes a signed, expiring URL and forwards it to the
 * school's Zoom admin (often another person, with no LMS launch), who connects Zoom through it.
 *
 * The link is `/zoom/connect/<school id>.<link id>.<expiry>.<HMAC>`; the HMAC (a key derived from
 * the master key for this purpose only) covers the other three, so a link cannot be altered or
 * pointed at another school. It works only while its link id is the school's live one
 * (`zoom_connect_links`): making a new link replaces the row, and connecting Zoom (through the
 * link or any other way) deletes it in the same transaction that stores the connection, so a
 * replaced or used link stops working at once, on every instance. (A token version on the
 * connection could not do this: a school that never connected has no connection row, and making
 * a new link changes no connection.)
 */
export const CONNECT_LINK_DEFAULT_DAYS = 7;
export const CONNECT_LINK_MAX_DAYS = 30;

const DAY_MS = 86_400_000;
const TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{16,64})\.(\d{9,11})\.([A-Za-z0-9_-]{43})$/;

export interface OpenedLink {
  schoolId: string;
  schoolName: string;
  linkId: string;
  /** The whole link token, as it appears in the URL. */
  token: string;
  expiresAt: Date;
  /** Who made the link (issuer | LMS user id). */
  createdBy: string;
}

export interface ConnectLinksOptions {
  db: Db;
  /** HMAC key, derived from the master key (`zoom-connect-links`). */
  key: Buffer;
  publicUrl: string;
  logger: Logger;
  now?: () => number;
}

export function signLink(key: Buffer, schoolId: string, linkId: string, expiresAtSeconds: number): string {
  const body = `${schoolId}.${linkId}.${expiresAtSeconds}`;
  const mac = crypto.createHmac('sha256', key).update(`zoom-connect-link\n${body}`).digest('base64url');
  return `${body}.${mac}`;
}

/** The link's fields when its signature holds (expiry not checked here), else undefined. */
export function readLink(
  key: Buffer,
  token: unknown,
): { schoolId: string; linkId: string; expiresAtSeconds: number } | undefined {
  if (typeof token !== 'string') return undefined;
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, schoolId = '', linkId = '', expiry = ''] = match;
  const expiresAtSeconds = Number(expiry);
  if (!timingSafeEqualText(token, signLink(key, schoolId, linkId, expiresAtSeconds))) return undefined;
  return { schoolId, linkId, expiresAtSeconds };
}

export class ZoomConnectLinks {
  private readonly now: () => number;

  constructor(private readonly options: ConnectLinksOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Makes the school's link (replacing the previous one), valid `days` days. Refused while Zoom is connected. */
  async create(input: {
    schoolId: string;
    createdBy: string;
    days: number;
  }): Promise<{ url: string; expiresAt: Date }> {
    const days = Math.min(CONNECT_LINK_MAX_DAYS, Math.max(1, Math.floor(input.days)));
    const { db, key } = this.options;
    const connection = await connectionBySchool(db, input.schoolId);
    if (connection?.status === 'connected') {
      throw errors.badRequest(
        'Zoom is already connected for this school, so there is nothing to connect with a link.',
      );
    }
    const linkId = randomToken(16);
    const expiresAtSeconds = Math.floor((this.now() + days * DAY_MS) / 1000);
    const expiresAt = new Date(expiresAtSeconds * 1000);
    await links.replaceLink(db, { schoolId: input.schoolId, linkId, expiresAt, createdBy: input.createdBy });
    this.options.logger.info({ schoolId: input.schoolId, expiresAt }, 'Zoom connect link made');
    return { url: this.urlOf(signLink(key, input.schoolId, linkId, expiresAtSeconds)), expiresAt };
  }

  /** The school's live link (its URL is rebuilt from the stored link id), if any. */
  async current(schoolId: string): Promise<{ url: string; expiresAt: Date } | undefined> {
    const row = await links.currentLink(this.options.db, schoolId, new Date(this.now()));
    if (!row) return undefined;
    const expiresAtSeconds = Math.floor(row.expiresAt.getTime() / 1000);
    return {
      url: this.urlOf(signLink(this.options.key, schoolId, row.linkId, expiresAtSeconds)),
      expiresAt: row.expiresAt,
    };
  }

  async withdraw(schoolId: string): Promise<void> {
    await links.withdrawLink(this.options.db, schoolId);
  }

  /**
   * The school a link lets its holder connect, or `zoom_connect_link_invalid` (403) for a link that
   * was altered, has expired, was replaced or used, or whose school is already connected. Reads only.
   */
  async open(token: unknown): Promise<OpenedLink> {
    const read = readLink(this.options.key, token);
    if (!read) throw errors.zoomConnectLinkInvalid('This link is incomplete or was altered.');
    const now = this.now();
    if (read.expiresAtSeconds * 1000 <= now) throw errors.zoomConnectLinkInvalid('This link has expired.');
    const row = await links.liveLink(this.options.db, read.schoolId, read.linkId, new Date(now));
    if (!row) {
      throw errors.zoomConnectLinkInvalid(
        'This link was replaced by a newer one, or Zoom was connected with it already.',
      );
    }
    const connection = await connectionBySchool(this.options.db, read.schoolId);
    if (connection?.status === 'connected') {
      throw errors.zoomConnectLinkInvalid('Zoom is already connected for this school.');
    }
    return {
      schoolId: row.schoolId,
      schoolName: row.schoolName,
      linkId: row.linkId,
      token: token as string,
      expiresAt: row.expiresAt,
      createdBy: row.createdBy,
    };
  }

  private urlOf(token: string): string {
    return `${this.options.publicUrl}/zoom/connect/${token}`;
  }
}
