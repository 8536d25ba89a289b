import crypto from 'node:crypto';
import type { SimInstance, SimParticipant, SimRecordingFile } from './zoom-sim.types';

/**
 * Deterministic content of an ended meeting instance: the same seed (topic, creation time and
 * instance number) always gives the same participants, join and leave times and file sizes; only the
 * recording file ids also depend on the instance UUID.
 */
const NAMES = [
  'Ada Lovelace',
  'Alan Turing',
  'Grace Hopper',
  'Katherine Johnson',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Margaret Hamilton',
  'Tim Berners-Lee',
  'Radia Perlman',
];

function prng(seed: string): () => number {
  let state = crypto.createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stableId(seed: string, bytes = 16): string {
  return crypto.createHash('sha256').update(seed).digest().subarray(0, bytes).toString('base64url');
}

export interface InstanceInput {
  seed: string;
  uuid: string;
  start: number;
  end: number;
  host: { id: string; name: string; email: string } | null;
  participants: number | Array<{ name: string; email?: string }>;
  recording: boolean;
}

export function generateInstance(input: InstanceInput): SimInstance {
  const random = prng(input.seed);
  const span = Math.max(60_000, input.end - input.start);
  const people: Array<{ id: string; name: string; email: string }> = [];
  if (typeof input.participants === 'number') {
    if (input.host && input.participants > 0) people.push(input.host);
    for (let k = people.length; k < input.participants; k += 1) {
      const name = NAMES[k % NAMES.length] ?? 'Participant';
      const suffix = k >= NAMES.length ? ` ${Math.floor(k / NAMES.length) + 1}` : '';
      people.push({ id: '', name: `${name}${suffix}`, email: `student${k}@students.example.edu` });
    }
  } else {
    for (const p of input.participants) people.push({ id: '', name: p.name, email: p.email ?? '' });
  }
  const participants: SimParticipant[] = people.map((person, k) => {
    const join = input.start + Math.floor(random() * Math.min(300_000, span / 4));
    const leave = input.end - Math.floor(random() * Math.min(300_000, span / 4));
    return {
      id: person.id,
      user_id: String(16_778_240 + k * 1024 + Math.floor(random() * 1000)),
      name: person.name,
      user_email: person.email,
      join_time: Math.floor(join / 1000) * 1000,
      leave_time: Math.max(Math.floor(join / 1000) * 1000 + 1000, Math.floor(leave / 1000) * 1000),
    };
  });
  const minutes = Math.max(1, Math.round(span / 60_000));
  const recording_files: SimRecordingFile[] = input.recording
    ? [
        {
          id: stableId(`${input.uuid}:${input.seed}:mp4`),
          file_type: 'MP4',
          file_extension: 'MP4',
          recording_type: 'shared_screen_with_speaker_view',
          file_size: minutes * 1_200_000 + Math.floor(random() * 100_000),
        },
        {
          id: stableId(`${input.uuid}:${input.seed}:m4a`),
          file_type: 'M4A',
          file_extension: 'M4A',
          recording_type: 'audio_only',
          file_size: minutes * 480_000 + Math.floor(random() * 10_000),
        },
      ]
    : [];
  return { uuid: input.uuid, start_time: input.start, end_time: input.end, participants, recording_files };
}
