-- Covering indexes for the operations console's insights (issue 6, docs/decisions/042): the
-- customer value, supplier quality and delivery queries read only these columns, so SQLite never
-- touches the wide order and line rows (ship-to, option snapshots, price breakdowns).
CREATE INDEX IF NOT EXISTS `orders_insights_idx` ON `orders` (`customer_id`,`status`,`created_at`,`total`,`id`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `orders_created_idx` ON `orders` (`created_at`,`status`,`id`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `order_lines_supplier_idx` ON `order_lines` (`order_id`,`supplier_id`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `order_events_status_idx` ON `order_events` (`status`,`order_id`,`at`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `delivery_attempts_started_idx` ON `delivery_attempts` (`started_at`,`partner_id`);
