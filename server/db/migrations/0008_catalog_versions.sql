CREATE TABLE `catalog_versions` (
	`product_id` text NOT NULL,
	`version` text NOT NULL,
	`fingerprint` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	PRIMARY KEY(`product_id`, `version`)
);
