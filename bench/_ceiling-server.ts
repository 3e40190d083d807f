/**
 * The ceiling for the capture benchmark: Fastify + pg, one statement per request (decrement stock + insert a
 * row, as a CTE), the practical limit of one database round trip per order on this machine.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 16) });
await pool.query(`create table if not exists ceiling_stock (sku int primary key, qty int not null check (qty >= 0));
  create table if not exists ceiling_orders (id bigint generated always as identity primary key, sku int not null, qty int not null, created_at timestamptz default now());
  insert into ceiling_stock select g, 10000000 from generate_series(1, 1000) g on conflict (sku) do update set qty = 10000000;`);
const app = Fastify();
app.post('/ceiling', async (req) => {
  const b = req.body as { sku: number; qty: number };
  const r = await pool.query({
    name: 'ceiling',
    text: `with s as (update ceiling_stock set qty = qty - $2 where sku = $1 and qty >= $2 returning sku)
           insert into ceiling_orders (sku, qty) select sku, $2 from s returning id`,
    values: [b.sku, b.qty],
  });
  return { id: r.rows[0]?.id ?? null };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
