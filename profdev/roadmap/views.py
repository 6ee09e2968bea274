"""Pages of the roadmap: programs, campaigns with completeness, reports and their review."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from profdev.common.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
)
from profdev.common.xlsx import xlsx_response
from profdev.orgs.scoping import Action, scope_of
from profdev.reports.models import GeneratedReport
from profdev.roadmap import selectors, services
from profdev.roadmap.filtersets import ReportFilterSet, ValidationRuleFilterSet
from profdev.roadmap.forms import (
    ActivityForm,
    CampaignOpenForm,
    CommentForm,
    ReportItemForm,
    ValidationRuleForm,
)
from profdev.roadmap.models import (
    Activity,
    Campaign,
    Program,
    Report,
    ReportItem,
    ValidationRule,
)
from profdev.roadmap.tables import ActivityTable, ReportTable, ValidationRuleTable


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Programs, campaigns, and the user's own reports that need attention."""
    user = request.user
    my_reports = [
        r
        for r in Report.objects.for_user(user, Action.VIEW)
        .filter(campaign__status="open")
        .select_related("campaign", "organization", "municipality")[:200]
        if services.is_author(user, r, in_scope=True)
        or services.is_reviewer(user, r, in_scope=True)
    ]
    return render(
        request,
        "roadmap/index.html",
        {
            "title": _("Дорожная карта и мониторинг"),
            "programs": Program.objects.for_user(user),
            "campaigns": Campaign.objects.for_user(user).select_related("program"),
            "my_reports": my_reports[:50],
            "can_open": Program.objects.for_user(user, Action.CHANGE).exists(),
        },
    )


class ProgramDetailView(ScopedDetailView):
    model = Program
    template_name = "roadmap/program_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["activities"] = ActivityTable(self.object.activities.all(), orderable=False)
        context["rules"] = self.object.rules.all()
        context["activity_list"] = self.object.activities.all()
        return context


@login_required
def campaign_open(request: HttpRequest) -> HttpResponse:
    form = CampaignOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Кампания открыта, формы отчётов созданы."))
            return redirect(campaign)
    return render(
        request, "common/form.html", {"form": form, "title": _("Новая кампания мониторинга")}
    )


class CampaignDetailView(ScopedDetailView):
    model = Campaign
    template_name = "roadmap/campaign_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.GET.get("export") == "xlsx":
            self.object = self.get_object()
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> HttpResponseBase:
        rows, total = selectors.campaign_completeness(user=self.request.user, campaign=self.object)
        header = [
            _("Муниципалитет"),
            _("Всего"),
            _("Не начаты"),
            _("Черновик / на доработке"),
            _("На проверке"),
            _("Приняты"),
            _("Освобождены"),
            _("Просрочены"),
        ]
        values = [
            [r.name, r.total, r.missing, r.draft, r.submitted, r.accepted, r.waived, r.late]
            for r in [*rows, total]
        ]
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        return xlsx_response(f"campaign-{self.object.pk}-{stamp}.xlsx", header, values)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows, total = selectors.campaign_completeness(user=user, campaign=self.object)
        context.update(
            rows=rows,
            total=total,
            execution=selectors.activity_execution(user=user, campaign=self.object),
            reports=selectors.reports_for(user=user, campaign=self.object).order_by(
                "kind", "municipality__name", "organization__name"
            ),
            is_operator=Program.objects.for_user(user, Action.CHANGE)
            .filter(pk=self.object.program_id)
            .exists(),
            can_see_analytics=GeneratedReport.scope_filter(scope_of(user), Action.VIEW) is not None,
        )
        return context


def _operator_campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.for_user(request.user), pk=pk)


@login_required
@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _operator_campaign(request, pk)
    count = services.reminders_send(user=request.user, campaign=campaign)
    messages.success(request, _("Напоминаний отправлено: %(count)s.") % {"count": count})
    return redirect(campaign)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _operator_campaign(request, pk)
    services.campaign_close(user=request.user, campaign=campaign)
    messages.success(request, _("Кампания закрыта."))
    return redirect(campaign)


class ReportListView(ScopedListView):
    model = Report
    table_class = ReportTable
    filterset_class = ReportFilterSet
    export_filename = "roadmap-reports"
    title = _lazy("Отчёты по дорожной карте")
    select_related = ("campaign", "organization", "municipality")


class ReportDetailView(ScopedDetailView):
    model = Report
    template_name = "roadmap/report_detail.html"
    select_related = ("campaign__program", "organization", "municipality")
    # A refused save shows the author's input again with the errors next to the fields.
    bound_forms: dict[int, ReportItemForm] = {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report: Report = self.object
        user = self.request.user
        is_author = services.is_author(user, report)
        block = services.edit_block_reason(report)
        items = list(report.items.select_related("activity"))
        if is_author and not block:
            for item in items:
                item.form = self.bound_forms.get(item.pk) or ReportItemForm(
                    prefix=f"item{item.pk}",
                    initial={
                        "status": item.status,
                        "description": item.description,
                        "figures": "; ".join(f"{k}={v}" for k, v in item.figures.items()),
                        "evidence_link": item.evidence_link,
                    },
                )
        context.update(
            items=items,
            is_author=is_author,
            is_reviewer=services.is_reviewer(user, report),
            is_operator=services._is_operator(user),
            block_reason=block,
            transitions=report.transitions.select_related("user"),
            reminders=report.reminders.all()[:5],
            outliers=selectors.figure_outliers(report=report),
            rule_checks=selectors.rule_checks(report=report),
            pending_schools=services.schools_pending(report)
            if report.kind == "municipality"
            else [],
            comment_form=CommentForm(),
        )
        return context


def _visible_report(request: HttpRequest, pk: int) -> Report:
    return get_object_or_404(Report.objects.for_user(request.user), pk=pk)


@login_required
@require_POST
def report_item_save(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReportItem.objects.for_user(request.user), pk=pk)
    form = ReportItemForm(request.POST, request.FILES, prefix=f"item{item.pk}")
    if not form.is_valid():
        return _item_refused(request, item, form)
    try:
        services.report_item_save(
            user=request.user,
            item=item,
            status=form.cleaned_data["status"],
            description=form.cleaned_data["description"],
            figures=form.cleaned_data["figures"],
            evidence_link=form.cleaned_data["evidence_link"],
            evidence_file=form.cleaned_data["evidence_file"],
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # the report is locked: nothing to correct here
            _errors(request, error)
            return redirect(item.report)
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _item_refused(request, item, form)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(item.report)
    messages.success(
        request, _("Мероприятие %(number)s сохранено.") % {"number": item.activity.number}
    )
    return redirect(f"{item.report.get_absolute_url()}#item-{item.pk}")


def _item_refused(request: HttpRequest, item: ReportItem, form: ReportItemForm) -> HttpResponse:
    """The report page again, the refused item's form keeping what the author typed."""
    messages.error(
        request,
        _("Мероприятие %(number)s не сохранено: исправьте отмеченные поля.")
        % {"number": item.activity.number},
    )
    view = ReportDetailView(bound_forms={item.pk: form})
    view.setup(request, pk=item.report_id)
    response: Any = view.get(request, pk=item.report_id)
    return response.render()


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, accept, return or reopen a report; the service decides who may."""
    report = _visible_report(request, pk)
    comment = request.POST.get("comment", "")
    done = {
        "submit": _("Отчёт отправлен на проверку."),
        "accept": _("Отчёт принят."),
        "return": _("Отчёт возвращён на доработку."),
        "reopen": _("Отчёт открыт для доработки."),
    }
    if action not in done:
        raise PermissionDenied
    try:
        if action == "submit":
            services.report_submit(user=request.user, report=report)
        elif action == "accept":
            services.report_accept(user=request.user, report=report, comment=comment)
        elif action == "return":
            services.report_return(user=request.user, report=report, comment=comment)
        else:
            services.report_reopen(user=request.user, report=report, comment=comment)
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("У вас нет прав на это действие."))
    else:
        messages.success(request, done[action])
    return redirect(report)


class ActivityCreateView(ScopedCreateView):
    model = Activity
    form_class = ActivityForm
    title = _lazy("Новое мероприятие дорожной карты")
    success_message = _lazy("Мероприятие добавлено.")

    def perform_save(self, form: ActivityForm) -> Activity:
        return services.activity_save(user=self.request.user, activity=form.instance)

    def get_success_url(self) -> str:
        activity: Any = self.object
        return str(activity.program.get_absolute_url())


class ActivityUpdateView(ScopedUpdateView):
    model = Activity
    form_class = ActivityForm

    def perform_save(self, form: ActivityForm) -> Activity:
        return services.activity_save(user=self.request.user, activity=form.instance)

    def get_success_url(self) -> str:
        activity: Any = self.object
        return str(activity.program.get_absolute_url())


class ValidationRuleListView(ScopedListView):
    model = ValidationRule
    table_class = ValidationRuleTable
    filterset_class = ValidationRuleFilterSet
    export_filename = "roadmap-rules"
    export_exclude = ("actions",)
    create_url_name = "roadmap:rule-create"
    title = _lazy("Правила проверки показателей")
    empty_hint = _lazy("Правил нет. Оператор добавляет их кнопкой «Добавить».")
    select_related = ("program",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change_rules"] = self.user_can_change()
        return context


class ValidationRuleCreateView(ServiceFormMixin, ScopedCreateView):
    model = ValidationRule
    form_class = ValidationRuleForm
    title = _lazy("Новое правило проверки показателей")
    success_message = _lazy("Правило добавлено; оно проверяется при отправке отчётов.")

    def get_initial(self) -> dict[str, Any]:
        return {"program": self.request.GET.get("program")}

    def perform_save(self, form: ValidationRuleForm) -> ValidationRule:
        return services.validation_rule_save(user=self.request.user, rule=form.instance)


class ValidationRuleUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = ValidationRule
    form_class = ValidationRuleForm
    title = _lazy("Правило проверки показателей")

    def perform_save(self, form: ValidationRuleForm) -> ValidationRule:
        return services.validation_rule_save(user=self.request.user, rule=form.instance)


class ValidationRuleDeleteView(ScopedDeleteView):
    model = ValidationRule

    def form_valid(self, form: Any) -> HttpResponse:
        rule: ValidationRule = self.object
        url = rule.get_absolute_url()
        services.validation_rule_delete(user=self.request.user, rule=rule)
        messages.success(self.request, _("Правило «%(rule)s» удалено.") % {"rule": rule})
        return HttpResponseRedirect(url)
