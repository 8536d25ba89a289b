ALTER TABLE "meetings" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "reconcile_error" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "reconcile_error_at" timestamp with time zone;
