ALTER TABLE "registration_invites" ADD COLUMN "failed_attempts" integer DEFAULT 0 NOT NULL;
