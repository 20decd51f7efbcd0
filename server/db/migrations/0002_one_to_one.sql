CREATE TABLE `complaint_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`complaint_id` text NOT NULL,
	`author` text NOT NULL,
	`body` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`complaint_id`) REFERENCES `complaints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `complaint_messages_complaint_idx` ON `complaint_messages` (`complaint_id`,`at`);--> statement-breakpoint
CREATE TABLE `complaints` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`order_id` text NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`contacts` integer DEFAULT 1 NOT NULL,
	`resolution` text,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `complaints_customer_idx` ON `complaints` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `complaints_order_idx` ON `complaints` (`order_id`);--> statement-breakpoint
CREATE INDEX `complaints_created_idx` ON `complaints` (`created_at`,`category`);--> statement-breakpoint
CREATE TABLE `fit_adjustments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feedback_id` text NOT NULL,
	`product_id` text NOT NULL,
	`module` text NOT NULL,
	`from_option` text,
	`to_option` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`feedback_id`) REFERENCES `fit_feedback`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `fit_adjustments_module_idx` ON `fit_adjustments` (`product_id`,`module`);--> statement-breakpoint
CREATE TABLE `fit_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`order_id` text NOT NULL,
	`line_id` text NOT NULL,
	`product_id` text NOT NULL,
	`spec_id` text,
	`spec_version` integer,
	`answers` text NOT NULL,
	`verdict` text NOT NULL,
	`comment` text,
	`proposal` text,
	`decision` text NOT NULL,
	`decided_at` integer,
	`result_spec_id` text,
	`result_spec_version` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fit_feedback_line_idx` ON `fit_feedback` (`line_id`);--> statement-breakpoint
CREATE INDEX `fit_feedback_customer_idx` ON `fit_feedback` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `fit_feedback_order_idx` ON `fit_feedback` (`order_id`);--> statement-breakpoint
CREATE INDEX `fit_feedback_created_idx` ON `fit_feedback` (`created_at`,`verdict`);--> statement-breakpoint
CREATE TABLE `remakes` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`parent_order_id` text NOT NULL,
	`parent_line_id` text NOT NULL,
	`child_order_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	`feedback_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`feedback_id`) REFERENCES `fit_feedback`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `remakes_customer_product_idx` ON `remakes` (`customer_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `remakes_parent_idx` ON `remakes` (`parent_order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `remakes_child_idx` ON `remakes` (`child_order_id`);--> statement-breakpoint
CREATE INDEX `remakes_supplier_idx` ON `remakes` (`supplier_id`);