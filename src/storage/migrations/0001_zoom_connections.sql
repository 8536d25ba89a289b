CREATE TABLE "zoom_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"zoom_account_id" text NOT NULL,
	"status" text DEFAULT 'connected' NOT NULL,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"access_token_sealed" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_sealed" text,
	"s2s_client_id" text,
	"s2s_client_secret_sealed" text,
	"webhook_secret_sealed" text,
	"webhook_id" text NOT NULL,
	"refresh_lease_until" timestamp with time zone,
	"refresh_lease_owner" text,
	"token_version" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"connected_by" text,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zoom_connections_school_id_unique" UNIQUE("school_id"),
	CONSTRAINT "zoom_connections_webhook_id_unique" UNIQUE("webhook_id")
);
--> statement-breakpoint
CREATE TABLE "zoom_oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"user_key" text NOT NULL,
	"code_verifier_sealed" text NOT NULL,
	"return_ltik_sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoom_webhook_deliveries" (
	"delivery_key" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"zoom_account_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zoom_connections" ADD CONSTRAINT "zoom_connections_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoom_oauth_states" ADD CONSTRAINT "zoom_oauth_states_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "zoom_connections_account_key" ON "zoom_connections" USING btree ("zoom_account_id") WHERE "zoom_connections"."status" <> 'disconnected';--> statement-breakpoint
CREATE INDEX "zoom_webhook_deliveries_received_at_idx" ON "zoom_webhook_deliveries" USING btree ("received_at");