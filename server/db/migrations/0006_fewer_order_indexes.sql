-- Fewer indexes on the tables every order writes (docs/decisions/044): each index costs the commit a
-- page write per order when its key is per customer. The order history index now also carries what
-- the console's customer queries read, replacing orders_insights_idx (0003); the order lines index
-- carries the supplier, replacing order_lines_supplier_idx (0003); webhook_messages_partner_idx was a
-- prefix of webhook_messages_partner_due_idx.
DROP INDEX IF EXISTS `webhook_messages_partner_idx`;--> statement-breakpoint
DROP INDEX IF EXISTS `order_lines_supplier_idx`;--> statement-breakpoint
DROP INDEX IF EXISTS `orders_insights_idx`;--> statement-breakpoint
DROP INDEX `order_lines_order_idx`;--> statement-breakpoint
CREATE INDEX `order_lines_order_idx` ON `order_lines` (`order_id`,`position`,`supplier_id`);--> statement-breakpoint
DROP INDEX `orders_customer_idx`;--> statement-breakpoint
CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`,`created_at`,`id`,`status`,`total`);
