CREATE TABLE "provisioning_settings" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"action" text DEFAULT 'create' NOT NULL,
	"licence" text DEFAULT 'licensed' NOT NULL,
	"when_no_seat" text DEFAULT 'basic' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoom_users" (
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"lms_user_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"email" text,
	"zoom_user_id" text,
	"status" text DEFAULT 'provisioning' NOT NULL,
	"licence_type" integer,
	"last_outcome" text,
	"last_checked_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zoom_users_school_id_lms_issuer_lms_user_id_pk" PRIMARY KEY("school_id","lms_issuer","lms_user_id")
);
--> statement-breakpoint
ALTER TABLE "provisioning_settings" ADD CONSTRAINT "provisioning_settings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoom_users" ADD CONSTRAINT "zoom_users_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "zoom_users_school_idx" ON "zoom_users" USING btree ("school_id","status");