"""Output serializers of the roadmap API; writes go through the services."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from profdev.roadmap.models import Activity, Campaign, Program, Report, ReportItem, ReportTransition


@extend_schema_serializer(component_name="RoadmapProgram")
class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "title", "start_year", "end_year", "order_number", "order_date", "goals"]


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "program",
            "number",
            "section",
            "title",
            "level_regional",
            "level_municipal",
            "level_organization",
            "responsible",
            "deadline",
            "period",
            "expected_result",
            "evidence_form",
            "indicator_code",
            "required",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "program",
            "title",
            "year",
            "half",
            "period_start",
            "period_end",
            "deadline",
            "status",
        ]


class ReportItemSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="activity.number", read_only=True)

    class Meta:
        model = ReportItem
        fields = ["id", "activity", "number", "status", "description", "figures", "evidence_link"]


class TransitionSerializer(serializers.ModelSerializer):
    user: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = ReportTransition
        fields = ["from_status", "to_status", "user", "at", "comment"]


class ReportSerializer(serializers.ModelSerializer):
    participant = serializers.CharField(source="participant_name", read_only=True)
    items = ReportItemSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "campaign",
            "kind",
            "organization",
            "municipality",
            "participant",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "items",
            "transitions",
        ]


class ItemInputSerializer(serializers.Serializer):
    status = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    figures = serializers.DictField(required=False, default=dict)
    evidence_link = serializers.URLField(allow_blank=True, required=False, default="")
