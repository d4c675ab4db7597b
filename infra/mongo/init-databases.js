// Runs once when the MongoDB volume is new: one database and one user per service, so no
// service can read another's data (ARCHITECTURE.md: subgraphs own their data).
const services = ['identity', 'catalog', 'subscription', 'access_control', 'billing', 'support'];
for (const name of services) {
  const dbName = `csp_${name}`;
  const password = process.env[`MONGO_${name.toUpperCase()}_PASSWORD`] || `${name}-local-password`;
  db.getSiblingDB(dbName).createUser({ user: name, pwd: password, roles: [{ role: 'readWrite', db: dbName }] });
}
