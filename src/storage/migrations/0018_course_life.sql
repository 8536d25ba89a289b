CREATE TABLE "course_sections" (
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"context_id" text NOT NULL,
	"section_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_sections_school_id_lms_issuer_context_id_section_id_pk" PRIMARY KEY("school_id","lms_issuer","context_id","section_id")
);
--> statement-breakpoint
CREATE TABLE "privacy_erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"subject_hash" text NOT NULL,
	"requested_by" text NOT NULL,
	"removed" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"kept" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_retention" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"meetings_days" integer,
	"attendance_days" integer,
	"logs_days" integer,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "copied_from_context_id" text;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "copy_offer_state" text;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "last_launch_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD COLUMN "hidden_by" text;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD COLUMN "share_state" text DEFAULT 'shared' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD COLUMN "share_error" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "origin" text DEFAULT 'scheduled' NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "copied_from_meeting_id" uuid;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "section_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "host_state" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "host_lost_reason" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "host_lost_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "link_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "course_people" ADD COLUMN "section_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "course_sections" ADD CONSTRAINT "course_sections_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_erasures" ADD CONSTRAINT "privacy_erasures_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_retention" ADD CONSTRAINT "school_retention_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;