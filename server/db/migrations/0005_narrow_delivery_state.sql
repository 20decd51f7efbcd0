CREATE TABLE `webhook_payloads` (
	`message_id` text PRIMARY KEY NOT NULL,
	`payload` text NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `webhook_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Existing messages keep their bodies: copied before the column goes (pending ones are then sent as before).
INSERT INTO `webhook_payloads` (`message_id`, `payload`) SELECT `id`, `payload` FROM `webhook_messages`;--> statement-breakpoint
ALTER TABLE `webhook_messages` DROP COLUMN `payload`;