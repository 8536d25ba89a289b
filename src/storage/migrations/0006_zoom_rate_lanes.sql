CREATE TABLE "zoom_daily_holds" (
	"account_id" text NOT NULL,
	"scope" text NOT NULL,
	"held_until" timestamp with time zone NOT NULL,
	CONSTRAINT "zoom_daily_holds_account_id_scope_pk" PRIMARY KEY("account_id","scope")
);
--> statement-breakpoint
CREATE TABLE "zoom_rate_lanes" (
	"account_id" text NOT NULL,
	"category" text NOT NULL,
	"next_at" timestamp with time zone NOT NULL,
	"paused_until" timestamp with time zone,
	CONSTRAINT "zoom_rate_lanes_account_id_category_pk" PRIMARY KEY("account_id","category")
);
