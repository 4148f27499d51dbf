/**
 * The shop's demo shoppers, in one place: the sign-in page lists them, the simulator's logins play
 * them and README.md's table shows them. postgres/init.sql seeds them (the name and a scrypt hash of
 * the password; SQL cannot import this list, so services/api/login-seed.test.ts checks that the two agree).
 */
export interface DemoShopper {
  email: string;
  name: string;
  password: string;
}

export const demoShoppers: readonly DemoShopper[] = [
  { email: 'alice@shopfast.local', name: 'Alice Example', password: 'alice-demo-pass' },
  { email: 'bob@shopfast.local', name: 'Bob Example', password: 'bob-demo-pass' },
  { email: 'carol@shopfast.local', name: 'Carol Example', password: 'carol-demo-pass' },
];
