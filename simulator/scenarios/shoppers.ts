// People the journeys play. The demo users and their passwords are seeded by postgres/init.sql.

export interface DemoUser {
  email: string;
  password: string;
}

export const demoUsers: readonly DemoUser[] = [
  { email: 'alice@shopfast.local', password: 'alice-demo-pass' },
  { email: 'bob@shopfast.local', password: 'bob-demo-pass' },
  { email: 'carol@shopfast.local', password: 'carol-demo-pass' },
];
