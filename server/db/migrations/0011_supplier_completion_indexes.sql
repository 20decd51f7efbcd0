-- Supplier quality counts each supplier's own completion of its lines (docs/decisions/042, addendum
-- 2026-12-01 b): the applied production.completed events and the lines each moved, both partial
-- indexes that placing an order never writes. order_events_status_idx (0003) only served the old
-- "order first produced" join and is dropped: every placed order wrote a page for it. (Added by hand
-- to the generated file: drizzle-kit does not know the custom indexes of 0003.)
CREATE INDEX `order_events_lines_idx` ON `order_events` (`order_id`,`at`,`source`,`line_ids`) WHERE line_ids IS NOT NULL;--> statement-breakpoint
CREATE INDEX `inbound_events_completed_idx` ON `inbound_events` (`received_at`,`order_id`,`partner_id`) WHERE event_type = 'production.completed' AND outcome = 'applied';--> statement-breakpoint
DROP INDEX IF EXISTS `order_events_status_idx`;
