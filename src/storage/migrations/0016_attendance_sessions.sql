CREATE TABLE "attendance_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"zoom_meeting_uuid" text NOT NULL,
	"participant_uuid" text NOT NULL,
	"zoom_user_id" text,
	"zoom_account_user_id" text,
	"registrant_id" text,
	"email" text,
	"display_name" text DEFAULT '' NOT NULL,
	"joined_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_sessions_join_key" ON "attendance_sessions" USING btree ("school_id","zoom_meeting_uuid","participant_uuid","joined_at");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_sessions_leave_key" ON "attendance_sessions" USING btree ("school_id","zoom_meeting_uuid","participant_uuid","left_at");--> statement-breakpoint
CREATE INDEX "attendance_sessions_instance_idx" ON "attendance_sessions" USING btree ("school_id","meeting_id","zoom_meeting_uuid");