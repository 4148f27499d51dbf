import { z } from 'zod';

const text = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') });

// The api's own limits (POST /api/login); any name is accepted, as the api accepts it: an attacker's
// 'admin' is an attempt to record like any other.
export const loginForm = z.object({
  email: text.trim().min(1, { error: 'is required' }).max(254, { error: 'must be at most 254 characters' }),
  password: text.min(1, { error: 'is required' }).max(1024, { error: 'must be at most 1024 characters' }),
});
