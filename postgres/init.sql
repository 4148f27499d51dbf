-- ShopFast schema, seed data and alert views.
-- Idempotent: applying it again to a database that already has it changes nothing
-- (the Docker stack runs it on first start, the native runner on every start).

-- Catalog. Only the inventory service changes stock, always in one atomic UPDATE.
-- seed_stock is what a reset restores; low_stock_threshold drives the low-inventory alert.
CREATE TABLE IF NOT EXISTS products (
  sku                 text PRIMARY KEY,
  name                text NOT NULL,
  description         text NOT NULL,
  price_cents         integer NOT NULL CHECK (price_cents > 0),
  stock               integer NOT NULL CHECK (stock >= 0),
  seed_stock          integer NOT NULL CHECK (seed_stock >= 0),
  low_stock_threshold integer NOT NULL CHECK (low_stock_threshold >= 0),
  created_at          timestamptz NOT NULL DEFAULT now()
);

-- password_hash: 'scrypt$<salt base64>$<key base64>', key = scrypt(password, salt bytes, 64)
-- with Node's defaults (N=16384, r=8, p=1).
CREATE TABLE IF NOT EXISTS users (
  id            bigserial PRIMARY KEY,
  email         text UNIQUE NOT NULL,
  name          text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Every login attempt, failed or not. A reset sets cleared instead of deleting rows,
-- so the failed-logins alert returns to Normal while the evidence stays.
CREATE TABLE IF NOT EXISTS login_attempts (
  id         bigserial PRIMARY KEY,
  username   text NOT NULL,
  client_ip  text NOT NULL,
  success    boolean NOT NULL,
  cleared    boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Serves alert_failed_logins: a range scan over recent, failed, uncleared attempts.
-- (now() cannot appear in an index predicate, so the 5-minute window is applied by the query.)
CREATE INDEX IF NOT EXISTS login_attempts_failed_recent_idx
  ON login_attempts (created_at)
  WHERE NOT success AND NOT cleared;

CREATE TABLE IF NOT EXISTS orders (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status         text NOT NULL CHECK (status IN ('pending', 'paid', 'declined', 'failed')),
  total_cents    integer NOT NULL CHECK (total_cents >= 0),
  currency       text NOT NULL DEFAULT 'USD',
  customer_email text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);
-- Serves a signed-in shopper's order list in the shop (emails compared in lower case).
CREATE INDEX IF NOT EXISTS orders_customer_email_idx ON orders (lower(customer_email));

CREATE TABLE IF NOT EXISTS order_items (
  order_id         uuid REFERENCES orders ON DELETE CASCADE,
  sku              text REFERENCES products,
  quantity         integer CHECK (quantity > 0),
  unit_price_cents integer NOT NULL,
  PRIMARY KEY (order_id, sku)
);
CREATE INDEX IF NOT EXISTS order_items_sku_idx ON order_items (sku);

CREATE TABLE IF NOT EXISTS payments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id     uuid REFERENCES orders ON DELETE CASCADE,
  amount_cents integer NOT NULL,
  currency     text NOT NULL,
  method       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('succeeded', 'declined', 'failed')),
  gateway_ref  text,
  reason       text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payments_order_id_idx ON payments (order_id);

-- ---------------------------------------------------------------------------------------------
-- Order consistency: stock reservations (inventory) and the payment ledger (payment).
-- Both are keyed by the order id the api chooses, so a repeated or late call finds the row it
-- made before instead of taking stock or money twice. Nothing here is final until the api's
-- order transaction commits the reservation and captures the charge (the two functions below,
-- in the same transaction as the paid order row); whatever the api gave up on is released or
-- voided by the api, or expires by itself at expires_at (the services sweep every second).
-- ---------------------------------------------------------------------------------------------

-- status: held (stock taken, order not decided) -> committed (a paid order owns it),
-- released (the api gave it back) or expired (nobody decided in time). A release for an order
-- id never reserved leaves a 'released' row without items, so a late reserve takes nothing.
CREATE TABLE IF NOT EXISTS stock_reservations (
  order_id   uuid PRIMARY KEY,
  status     text NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  settled_at timestamptz
);
-- Serves the expiry sweep: only held reservations are ever looked up by time.
CREATE INDEX IF NOT EXISTS stock_reservations_held_expiry_idx
  ON stock_reservations (expires_at) WHERE status = 'held';

CREATE TABLE IF NOT EXISTS stock_reservation_items (
  order_id uuid NOT NULL REFERENCES stock_reservations ON DELETE CASCADE,
  sku      text NOT NULL REFERENCES products ON DELETE CASCADE,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, sku)
);
CREATE INDEX IF NOT EXISTS stock_reservation_items_sku_idx ON stock_reservation_items (sku);

-- The gateway's ledger, one charge per order id. status: processing -> succeeded, declined or
-- failed; processing or succeeded-but-uncaptured -> voided (by the api, or at expires_at).
-- A void for an order id never charged leaves a 'voided' row without an amount, so a late
-- charge takes nothing. captured_at is set by the api's order transaction only.
CREATE TABLE IF NOT EXISTS payment_charges (
  order_id     uuid PRIMARY KEY,
  payment_id   uuid NOT NULL DEFAULT gen_random_uuid(),
  status       text NOT NULL CHECK (status IN ('processing', 'succeeded', 'declined', 'failed', 'voided')),
  amount_cents integer CHECK (amount_cents > 0),
  currency     text,
  method       text,
  gateway_ref  text,
  reason       text,
  expires_at   timestamptz NOT NULL,
  captured_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  settled_at   timestamptz,
  CHECK (status = 'voided' OR amount_cents IS NOT NULL),
  CHECK (captured_at IS NULL OR status = 'succeeded')
);
-- Serves the expiry sweep over charges nobody captured.
CREATE INDEX IF NOT EXISTS payment_charges_uncaptured_expiry_idx
  ON payment_charges (expires_at) WHERE status IN ('processing', 'succeeded') AND captured_at IS NULL;

-- What the api's order transaction calls: true when it now owns the reservation / the charge.
-- Each is one UPDATE on a locked row, so against a concurrent release, void or expiry exactly
-- one side wins; a false rolls the whole order back.
CREATE OR REPLACE FUNCTION commit_stock_reservation(reservation_order_id uuid) RETURNS boolean
LANGUAGE sql AS $$
  WITH committed AS (
    UPDATE stock_reservations SET status = 'committed', settled_at = now()
    WHERE order_id = reservation_order_id AND status = 'held'
    RETURNING 1
  )
  SELECT count(*) = 1 FROM committed
$$;

CREATE OR REPLACE FUNCTION capture_payment_charge(charge_order_id uuid) RETURNS boolean
LANGUAGE sql AS $$
  WITH captured AS (
    UPDATE payment_charges SET captured_at = now()
    WHERE order_id = charge_order_id AND status = 'succeeded' AND captured_at IS NULL
    RETURNING 1
  )
  SELECT count(*) = 1 FROM captured
$$;
-- ---------------------------------------------------------------------------------------------

-- Alert views return raw values only: thresholds live in the Grafana rules
-- (query -> reduce -> threshold), so the rules stay NoData-safe.

-- One row per product (low-inventory and critical-inventory: one alert instance per sku).
CREATE OR REPLACE VIEW alert_inventory_levels AS
SELECT sku, name, stock, low_stock_threshold
FROM products;

-- The attempts the failed-logins rule counts: failed, not cleared by a reset, in the last 5 minutes.
-- The shop's sign-in activity page (/login/attempts) lists them per account.
CREATE OR REPLACE VIEW recent_failed_logins AS
SELECT username, client_ip, created_at
FROM login_attempts
WHERE NOT success
  AND NOT cleared
  AND created_at > now() - interval '5 minutes';

-- Exactly one row, zeros included, so the failed-logins rule never sees NoData.
CREATE OR REPLACE VIEW alert_failed_logins AS
SELECT count(*)                  AS failed_last_5m,
       count(DISTINCT client_ip) AS distinct_ips_last_5m,
       count(DISTINCT username)  AS distinct_users_last_5m
FROM recent_failed_logins;

-- Business dashboard: what paid orders sold, per product (unsold products show zeros).
CREATE OR REPLACE VIEW sales_by_product AS
SELECT p.sku,
       p.name,
       coalesce(sum(oi.quantity), 0)::bigint                       AS units_sold,
       coalesce(sum(oi.quantity * oi.unit_price_cents), 0)::bigint AS revenue_cents
FROM products p
LEFT JOIN (order_items oi JOIN orders o ON o.id = oi.order_id AND o.status = 'paid') ON oi.sku = p.sku
GROUP BY p.sku, p.name;

-- Seed catalog. SF-1001 is the flash-sale item: little stock, so the flash-sale scenario
-- drives it through low (<= 10) to critical (<= 5) within a minute.
INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold) VALUES
  ('SF-1001', 'Trailblazer Running Shoes (Flash Sale)', 'Lightweight trail runners with a grippy sole. Limited flash-sale stock.', 8999, 40, 40, 10),
  ('SF-1002', 'Merino Wool Hoodie', 'Soft, warm and odour-resistant hoodie made from fine merino wool.', 7450, 120, 120, 18),
  ('SF-1003', 'Insulated Steel Water Bottle', 'Keeps drinks cold for 24 hours or hot for 12. 750 ml.', 2499, 200, 200, 30),
  ('SF-1004', 'Canvas Weekender Bag', 'Waxed canvas duffel with leather handles, fits in overhead bins.', 11900, 60, 60, 9),
  ('SF-1005', 'Wireless Noise-Cancelling Headphones', 'Over-ear headphones with 30 hours of battery life.', 19900, 80, 80, 12),
  ('SF-1006', 'Pour-Over Coffee Set', 'Ceramic dripper, glass carafe and 100 paper filters.', 3800, 150, 150, 20),
  ('SF-1007', 'Organic Cotton T-Shirt', 'Classic crew-neck tee in heavyweight organic cotton.', 2200, 180, 180, 25),
  ('SF-1008', 'Ultralight Camping Hammock', 'Parachute-nylon hammock with tree straps, packs to fist size.', 4900, 70, 70, 10),
  ('SF-1009', 'Bamboo Cutting Board Set', 'Three boards in different sizes with juice grooves.', 3450, 100, 100, 15),
  ('SF-1010', 'Smart LED Desk Lamp', 'Dimmable desk lamp with colour temperature control and USB-C charging.', 5999, 90, 90, 14)
ON CONFLICT (sku) DO NOTHING;

-- Demo users; their passwords are alice-demo-pass, bob-demo-pass and carol-demo-pass.
INSERT INTO users (email, name, password_hash) VALUES
  ('alice@shopfast.local', 'Alice Example', 'scrypt$kDTpR8X6zzgTjcRCMDTjyA==$izGGjU6biQzNUyMdroGFm+Ns3Hd8cRrRmkd5j1sX5vMMZ0Mq7byfUD8jSJhqlAmgklUjHxDdIOkcpGF43VHoZQ=='),
  ('bob@shopfast.local', 'Bob Example', 'scrypt$GI9lLgkYl2vDFsdyDThTNA==$CyjrZ+54aHBXtJO7//I0wGhe5m8BAaZkLYhqQez5xBWa3hPISjyq28H7mvorXsNRJ2CaduX9Tdf/UhaJQUP9zA=='),
  ('carol@shopfast.local', 'Carol Example', 'scrypt$qM9ru9BHs+q890FbIZeJwA==$W9/EZ5Y9J9U7aBLt6UCR+646bTkx5FFcSzW3kliOo771D2GvEOvbCa9X4iuwRZDcESitgEaPTgNZlsZkfovfaA==')
ON CONFLICT (email) DO NOTHING;

-- ===== Status page incidents (the frontend) =====
-- What Grafana's webhook reported, so a restarted frontend still shows what fires. The frontend
-- writes its whole list here after each notification; position keeps the order it saw them in.
CREATE TABLE IF NOT EXISTS status_incidents (
  fingerprint   text PRIMARY KEY,
  alert_name    text NOT NULL,
  service       text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  summary       text NOT NULL,
  status        text NOT NULL CHECK (status IN ('firing', 'resolved')),
  since         timestamptz NOT NULL,
  resolved_at   timestamptz,
  value         text,
  generator_url text NOT NULL,
  panel_url     text NOT NULL DEFAULT '',
  -- The notifications about it as JSON, [{receiver, status, at, title}]: who was told, and when.
  notices       text NOT NULL DEFAULT '[]',
  -- The alert's labels as JSON (its instance: service, sku, …), without Grafana's private ones.
  labels        text NOT NULL DEFAULT '{}',
  position      integer NOT NULL
);
ALTER TABLE status_incidents ADD COLUMN IF NOT EXISTS labels text NOT NULL DEFAULT '{}';

-- ===== Grafana's read-only role =====
-- Grafana's PostgreSQL data source signs in as shopfast_grafana, which may read only what the
-- dashboards and alert rules query: the alert and sales views, and three columns of orders (no
-- e-mail addresses, users, login attempts or incidents). Its password is set outside this file
-- (compose: postgres/grafana-role.sh from GRAFANA_DB_PASSWORD). Creating a role needs CREATEROLE:
-- where the applying user lacks it and the role does not exist yet, this section only warns.
DO $grafana_role$
DECLARE
  may_manage_roles boolean := (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user);
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shopfast_grafana') THEN
    IF NOT may_manage_roles THEN
      RAISE WARNING 'role shopfast_grafana is missing and % may not create roles: Grafana cannot read PostgreSQL', current_user;
      RETURN;
    END IF;
    CREATE ROLE shopfast_grafana LOGIN;
  END IF;
  IF may_manage_roles THEN
    -- Even a query that tries to write fails, and none runs away with the database.
    ALTER ROLE shopfast_grafana SET default_transaction_read_only = on;
    ALTER ROLE shopfast_grafana SET statement_timeout = '10s';
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO shopfast_grafana', current_database());
  GRANT USAGE ON SCHEMA public TO shopfast_grafana;
  -- Start from nothing on every run, so a grant dropped from this list is gone after the next one.
  REVOKE ALL ON ALL TABLES IN SCHEMA public FROM shopfast_grafana;
  GRANT SELECT ON alert_inventory_levels, alert_failed_logins, sales_by_product TO shopfast_grafana;
  GRANT SELECT (status, total_cents, created_at) ON orders TO shopfast_grafana;
END
$grafana_role$;
