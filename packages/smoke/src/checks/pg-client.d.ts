// pg's Client on its own (see postgres.ts for why not the package entry); the types are pg's.
declare module 'pg/lib/client.js' {
  import type { Client } from 'pg';
  const ClientClass: typeof Client;
  export default ClientClass;
}
