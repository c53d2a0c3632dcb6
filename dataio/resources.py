"""Spreadsheet import/export resources shared by every app (django-import-export 4.x).

One base class, `PortalResource`, gives every model the same file format:

- column headers are the fields' Chinese verbose names, plus an "ID" column;
- choices travel as their Chinese labels, booleans as 是/否, dates as YYYY-MM-DD
  (real date cells in xlsx), numbers as numbers;
- foreign keys and many-to-many fields travel as readable labels (an office by its short
  name or code, a person by name, a law by title …), lists joined with "、";
- a row is matched to an existing record by its ID, else by the model's natural key
  (`Meta.natural_key`), else it creates a record;
- every text cell that a spreadsheet would run as a formula (= + - @ tab CR) is escaped
  with a leading apostrophe on export, in every format, and unescaped on import, so an
  exported file imports back to the same values (OWASP "CSV injection");
- every imported record gets its history row with the importing user and a change reason
  naming the import, on the row-by-row path and on the bulk path alike.

`resource_for(model)` returns the resource class of any model of the three domain apps.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import re
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Diff
from import_export.results import Error, RowResult

ID_COLUMN = "ID"
# Extra columns of a downloaded error report; ignored when the fixed report is imported.
REPORT_ROW_COLUMN = "原行号"
REPORT_ERROR_COLUMN = "错误信息"
LIST_SEPARATOR = "、"

# Spreadsheet programs run a cell as a formula when it starts with one of these
# (OWASP "CSV injection"); import-export's own setting only strips "=".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

DATE_INPUT_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
TRUE_WORDS = {"是", "true", "1", "yes", "y", "t", "√", "✓"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "f", "×", "✗"}


# --------------------------------------------------------------------------- escaping


def _looks_like_formula(value: str) -> bool:
    # Leading apostrophes are looked through so that escaping is reversible: "'=x" (an
    # original value) is escaped to "''=x" and comes back as "'=x".
    return value.lstrip("'")[:1] in FORMULA_TRIGGERS and value.lstrip("'") != ""


def escape_formula(value: str) -> str:
    """Prefix a formula-looking text cell with an apostrophe so it stays text."""
    return "'" + value if _looks_like_formula(value) else value


def unescape_formula(value: str) -> str:
    """Undo `escape_formula`; any other text is returned unchanged."""
    if value.startswith("'") and _looks_like_formula(value):
        return value[1:]
    return value


# ---------------------------------------------------------------------------- widgets


def _integral_text(value) -> str:
    """Spreadsheet cells holding codes such as 209 come back as numbers; make them text."""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


class TextWidget(widgets.Widget):
    escapes = True

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        return _integral_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntWidget(widgets.Widget):
    escapes = False

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(gettext("“%(value)s”不是有效的整数。") % {"value": value})
        if isinstance(value, int):
            return value
        try:
            number = decimal.Decimal(str(value).strip().replace(",", ""))
        except (decimal.InvalidOperation, ValueError):
            raise ValueError(gettext("“%(value)s”不是有效的整数。") % {"value": value}) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(gettext("“%(value)s”不是有效的整数。") % {"value": value})
        if abs(number) > 10**15:
            raise ValueError(gettext("“%(value)s”超出允许的范围。") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else str(value)


class DecimalWidget(IntWidget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(gettext("“%(value)s”不是有效的数字。") % {"value": value})
        try:
            number = decimal.Decimal(str(value).strip().replace(",", ""))
        except (decimal.InvalidOperation, ValueError):
            raise ValueError(gettext("“%(value)s”不是有效的数字。") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(gettext("“%(value)s”不是有效的数字。") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        if kwargs.get("force_native_type"):
            # xlsx numbers: whole numbers as integers, the rest as exact decimals.
            return int(value) if value == value.to_integral_value() else value
        return format(value.normalize(), "f") if value == value.normalize() else str(value)


class DateWidget(widgets.Widget):
    escapes = False

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in DATE_INPUT_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            gettext("“%(value)s”不是有效的日期，请按 YYYY-MM-DD 格式填写。") % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else value.strftime("%Y-%m-%d")


class DateTimeWidget(widgets.Widget):
    """Export only (submission and handling times); local time, minutes."""

    escapes = False

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return timezone.make_aware(value) if timezone.is_naive(value) else value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
            try:
                return timezone.make_aware(datetime.datetime.strptime(text, fmt))
            except ValueError:
                continue
        raise ValueError(
            gettext("“%(value)s”不是有效的时间，请按 YYYY-MM-DD HH:MM 格式填写。") % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        local = timezone.localtime(value).replace(tzinfo=None, second=0, microsecond=0)
        return local if kwargs.get("force_native_type") else local.strftime("%Y-%m-%d %H:%M")


class BoolWidget(widgets.Widget):
    escapes = False

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(gettext("“%(value)s”无法识别，请填写“是”或“否”。") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        with translation.override("zh-hans"):
            return gettext("是") if value else gettext("否")


class ChoiceWidget(widgets.Widget):
    """A choice field as its Chinese label; the stored code and the English label are
    accepted on import as well."""

    escapes = True

    def __init__(self, choices):
        super().__init__()
        self.choices = list(choices)
        self._by_text = None

    def _lookup(self) -> dict[str, str]:
        if self._by_text is None:
            by_text: dict[str, str] = {}
            for lang in ("en", "zh-hans"):  # Chinese last, so it wins on a clash
                with translation.override(lang):
                    for code, label in self.choices:
                        by_text[str(label).strip()] = code
            for code, _label in self.choices:
                by_text[str(code)] = code
            self._by_text = by_text
        return self._by_text

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return ""
        text = _integral_text(value).strip()
        try:
            return self._lookup()[text]
        except KeyError:
            with translation.override("zh-hans"):
                allowed = LIST_SEPARATOR.join(str(label) for _code, label in self.choices)
            raise ValueError(
                gettext("“%(value)s”不是可选项，可选：%(choices)s。")
                % {"value": text, "choices": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        with translation.override("zh-hans"):
            for code, label in self.choices:
                if code == value:
                    return str(label)
        return str(value)


def label_with_unit(name: str, unit: str) -> str:
    """A person's label in spreadsheets, "张三（单位）", telling namesakes apart."""
    return f"{name}（{unit}）" if unit else name


def object_label(obj) -> str:
    """How a record is written when another record refers to it."""
    if obj is None:
        return ""
    res = _resource_class_or_none(type(obj))
    if res is not None:
        return res.object_label(obj)
    if hasattr(obj, "get_username"):
        return obj.get_username()
    return str(obj)


def _object_aliases(obj) -> list[str]:
    res = _resource_class_or_none(type(obj))
    return list(res.object_aliases(obj)) if res is not None else []


def _normalise_label(text: str) -> str:
    return text.strip().strip("《》").strip()


class RelatedLookup:
    """Every record of a model keyed by its label and aliases, built once per import so a
    10,000-row file costs one query per related model, not one per row."""

    def __init__(self, model):
        self.model = model
        self._index: dict[str, list] | None = None

    def _build(self) -> dict[str, list]:
        index: dict[str, list] = defaultdict(list)
        queryset = self.model._default_manager.all()
        res = _resource_class_or_none(self.model)
        if res is not None and res.label_select_related:
            queryset = queryset.select_related(*res.label_select_related)
        for obj in queryset:
            keys = {_normalise_label(object_label(obj))}
            keys.update(_normalise_label(a) for a in _object_aliases(obj) if a)
            for key in keys:
                if key:
                    index[key].append(obj)
        return index

    def get(self, text: str):
        if self._index is None:
            self._index = self._build()
        found = self._index.get(_normalise_label(text), [])
        # One record can be reached through several aliases; only distinct records clash.
        distinct = list({obj.pk: obj for obj in found}.values())
        if len(distinct) == 1:
            return distinct[0]
        name = self.model._meta.verbose_name
        if not distinct:
            raise ValueError(
                gettext("找不到%(model)s“%(value)s”，请先录入该%(model)s或检查名称。")
                % {"model": name, "value": text}
            )
        raise ValueError(
            gettext("“%(value)s”对应多条%(model)s记录，请写得更具体（如“姓名（单位）”）。")
            % {"model": name, "value": text}
        )

    def has(self, text: str) -> bool:
        if self._index is None:
            self._index = self._build()
        return _normalise_label(text) in self._index


class RelatedWidget(widgets.Widget):
    """A foreign key as the related record's label."""

    escapes = True

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.lookup = RelatedLookup(model)

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        return self.lookup.get(_integral_text(value))

    def render(self, value, obj=None, **kwargs):
        return object_label(value)


class RelatedManyWidget(RelatedWidget):
    """A many-to-many field as labels joined with "、" (sorted, so exports are stable)."""

    is_m2m = True

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return []
        parts = [p for p in re.split(r"[、\n]", _integral_text(value)) if p.strip()]
        found, start = [], 0
        # A label may itself contain "、": take the longest run of parts that is a label.
        while start < len(parts):
            for end in range(len(parts), start, -1):
                text = LIST_SEPARATOR.join(parts[start:end])
                if end == start + 1 or self.lookup.has(text):
                    found.append(self.lookup.get(text))
                    start = end
                    break
        return list({obj.pk: obj for obj in found}.values())

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(sorted(object_label(o) for o in value.all()))


class FileNameWidget(TextWidget):
    """Attachments stay in the admin; the file name is exported for reference only."""

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PortalDiff(Diff):
    """The preview's before/after values. Many-to-many lists of a row not yet saved come
    from the row itself (reading the relation of an unsaved record is an error)."""

    def __init__(self, resource, instance, new):
        self.left = self._read_field_values(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = self._read_field_values(resource, instance)

    @classmethod
    def _read_field_values(cls, resource, instance):
        values = []
        for field in resource.get_import_fields():
            if instance is None:
                values.append("")
            elif getattr(field.widget, "is_m2m", False):
                pending = getattr(instance, "_fao_m2m", {}).get(field.attribute)
                if pending is not None:
                    values.append(LIST_SEPARATOR.join(sorted(object_label(o) for o in pending)))
                elif instance.pk is None:
                    values.append("")
                else:
                    values.append(field.export(instance))
            else:
                values.append(field.export(instance))
        return values


# ---------------------------------------------------------------------- instance loader


class PortalInstanceLoader(BaseInstanceLoader):
    """Finds the record a row updates: by ID, else by the natural key. Loads every
    candidate for the whole file in a few queries instead of one query per row."""

    CHUNK = 500

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.by_id: dict[int, models.Model] = {}
        self.by_key: dict[tuple, models.Model] = {}
        if dataset is None or not dataset.headers:
            return
        headers = list(dataset.headers)
        model = resource._meta.model
        manager = model._default_manager
        if ID_COLUMN in headers:
            position = headers.index(ID_COLUMN)
            ids = set()
            for values in dataset:
                try:
                    pk = IntWidget().clean(values[position])
                except ValueError:
                    continue
                if pk is not None:
                    ids.add(pk)
            ids_list = sorted(ids)
            for i in range(0, len(ids_list), self.CHUNK):
                for obj in manager.filter(pk__in=ids_list[i : i + self.CHUNK]):
                    self.by_id[obj.pk] = obj
        key_fields = resource.natural_key_fields()
        if not key_fields or any(f.column_name not in headers for f in key_fields):
            return
        first = key_fields[0]
        firsts = set()
        for values in dataset:
            row = dict(zip(headers, values, strict=False))
            try:
                value = resource.clean_key_value(first, row)
            except (ValueError, ValidationError):
                continue
            if value is not None:
                firsts.add(value.pk if isinstance(value, models.Model) else value)
        firsts_list = list(firsts)
        attname = model._meta.get_field(first.attribute).attname
        for i in range(0, len(firsts_list), self.CHUNK):
            chunk = firsts_list[i : i + self.CHUNK]
            for obj in manager.filter(**{f"{attname}__in": chunk}):
                self.by_key[resource.instance_key(obj)] = obj

    def get_instance(self, row):
        pk_text = row.get(ID_COLUMN)
        if not _is_blank(pk_text):
            try:
                pk = IntWidget().clean(pk_text)
            except ValueError:
                pk = None
            if pk in self.by_id:
                return self.by_id[pk]
        key = self.resource.row_key(row)
        if key is not None:
            return self.by_key.get(key)
        return None


# --------------------------------------------------------------------------- resource


class PortalResource(resources.ModelResource):
    """Base of every `<Model>Resource`. Subclasses set `Meta.model` and usually
    `Meta.natural_key` (field names identifying a record when the ID column is empty)."""

    #: related fields needed by `object_label` (for select_related)
    label_select_related: tuple[str, ...] = ()
    #: False for data that must never come in through a file (citizens' comments)
    import_allowed = True

    class Meta:
        instance_loader_class = PortalInstanceLoader
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = False
        use_transactions = True
        natural_key: tuple[str, ...] = ()
        batch_size = 1000

    @classmethod
    def get_diff_class(cls):
        return PortalDiff

    # --- how other records refer to this one -----------------------------------------

    @classmethod
    def object_label(cls, obj) -> str:
        return str(obj)

    @classmethod
    def object_aliases(cls, obj) -> Iterable[str]:
        return ()

    # --- columns ---------------------------------------------------------------------

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        column = str(django_field.verbose_name)
        if django_field.primary_key:
            return ie_fields.Field(attribute="id", column_name=ID_COLUMN, widget=IntWidget())
        if django_field.many_to_many:
            widget = RelatedManyWidget(django_field.related_model)
        elif django_field.is_relation:
            widget = RelatedWidget(django_field.related_model)
        elif django_field.choices:
            widget = ChoiceWidget(django_field.flatchoices)
        elif isinstance(django_field, models.BooleanField):
            widget = BoolWidget()
        elif isinstance(django_field, models.DateTimeField):
            widget = DateTimeWidget()
        elif isinstance(django_field, models.DateField):
            widget = DateWidget()
        elif isinstance(django_field, models.DecimalField):
            widget = DecimalWidget()
        elif isinstance(django_field, models.IntegerField):
            widget = IntWidget()
        elif isinstance(django_field, models.FileField):
            widget, readonly = FileNameWidget(), True
        else:
            widget = TextWidget()
        return ie_fields.Field(
            attribute=field_name,
            column_name=column,
            widget=widget,
            readonly=readonly or not django_field.editable,
            default=django_field.default,
        )

    def import_fields_by_column(self) -> dict[str, ie_fields.Field]:
        return {f.column_name: f for f in self.get_import_fields()}

    def importable_fields(self) -> list[ie_fields.Field]:
        return [f for f in self.get_import_fields() if not f.readonly and f.attribute != "id"]

    def natural_key_fields(self) -> list[ie_fields.Field]:
        return [self.fields[name] for name in self._meta.natural_key]

    def required_columns(self) -> list[str]:
        """Columns a file must have: the natural key and every field that has no default
        and may not be blank."""
        model = self._meta.model
        required = [f.column_name for f in self.natural_key_fields()]
        for field in self.importable_fields():
            try:
                django_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:  # a declared non-model column is optional
                continue
            if django_field.many_to_many or django_field.blank or django_field.has_default():
                continue
            if field.column_name not in required:
                required.append(field.column_name)
        return required

    def check_headers(self, headers) -> None:
        """Raise a Chinese ValidationError when the header row is not this resource's."""
        names = [str(h).strip() if h is not None else "" for h in (headers or [])]
        known = set(self.import_fields_by_column()) | {REPORT_ROW_COLUMN, REPORT_ERROR_COLUMN}
        unknown = [n for n in names if n and n not in known]
        missing = [c for c in self.required_columns() if c not in names]
        duplicated = sorted({n for n in names if n and names.count(n) > 1})
        problems = []
        if unknown:
            problems.append(
                gettext("无法识别的列：%(cols)s") % {"cols": LIST_SEPARATOR.join(unknown)}
            )
        if missing:
            problems.append(
                gettext("缺少必需的列：%(cols)s") % {"cols": LIST_SEPARATOR.join(missing)}
            )
        if duplicated:
            problems.append(
                gettext("列名重复：%(cols)s") % {"cols": LIST_SEPARATOR.join(duplicated)}
            )
        if problems:
            raise ValidationError(
                gettext("表头与“%(model)s”的导入模板不一致。%(problems)s。")
                % {
                    "model": self._meta.model._meta.verbose_name,
                    "problems": "；".join(problems),
                },
                code="bad_headers",
            )

    # --- keys ------------------------------------------------------------------------

    def clean_key_value(self, field, row):
        return field.clean(row)

    def row_key(self, row) -> tuple | None:
        fields = self.natural_key_fields()
        if not fields:
            return None
        key = []
        for field in fields:
            if field.column_name not in row:
                return None
            try:
                value = field.clean(row)
            except (ValueError, ValidationError):
                return None
            key.append(value.pk if isinstance(value, models.Model) else value)
        return tuple(key)

    def instance_key(self, obj) -> tuple | None:
        if not self._meta.natural_key:
            return None
        opts = self._meta.model._meta
        return tuple(getattr(obj, opts.get_field(name).attname) for name in self._meta.natural_key)

    # --- import workflow ---------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if not self.import_allowed:
            raise ValidationError(
                gettext("“%(model)s”不支持导入。") % {"model": self._meta.model._meta.verbose_name},
                code="import_not_allowed",
            )
        if dataset.headers:
            dataset.headers = [str(h).strip() if h is not None else "" for h in dataset.headers]
        self.check_headers(dataset.headers)
        self._import_user = kwargs.get("user")
        if self._import_user is not None and not getattr(
            self._import_user, "is_authenticated", False
        ):
            self._import_user = None
        self._change_reason = kwargs.get("change_reason") or (
            gettext("通过文件导入：%(file)s") % {"file": kwargs.get("file_name") or "-"}
        )
        self._seen_keys: dict[tuple, int] = {}
        self._row_number = 0
        self._pending: list[tuple[int, dict, models.Model]] = []
        self._progress = kwargs.get("progress")

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number", 0)
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unescape_formula(value)

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "id" or field.readonly or field.column_name not in row:
            return
        if getattr(field.widget, "is_m2m", False):
            # Set after the record is saved (save_m2m / bulk path); cleaned now so a bad
            # name is a row error with the column's name, not a crash later.
            instance._fao_m2m = getattr(instance, "_fao_m2m", {})
            instance._fao_m2m[field.attribute] = field.clean(row, **kwargs)
            return
        value = field.clean(row, **kwargs)
        django_field = instance._meta.get_field(field.attribute)
        if value is None and django_field.is_relation and not django_field.null:
            setattr(instance, django_field.attname, None)
            return
        setattr(instance, field.attribute, value)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as e:
                errors[field.attribute] = ValidationError(str(e), code="invalid")
        if errors:
            raise ValidationError(errors)

    def _column_for(self, key: str) -> str:
        if key == NON_FIELD_ERRORS:
            return key
        for field in self.fields.values():
            if field.attribute == key:
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:  # an error key that is not a field stays as it is
            return key

    def _validation_exclusions(self, exclude) -> list[str]:
        # Non-editable fields (e.g. the disclosure serial split out of the index number)
        # are computed by the model, as in the admin's forms.
        computed = [f.name for f in self._meta.model._meta.fields if not f.editable]
        return [*exclude, *computed]

    def full_validation(self, instance, exclude=()):
        """The model's own validation, constraints and unique checks included."""
        instance.full_clean(exclude=self._validation_exclusions(exclude))

    def fast_validation(self, instance, exclude=()):
        """Field and model validation without the per-row database queries of unique and
        constraint checks; the database enforces those at the bulk insert, and a failing
        batch is re-checked row by row (`_locate_batch_errors`)."""
        instance.full_clean(
            exclude=self._validation_exclusions(exclude),
            validate_unique=False,
            validate_constraints=False,
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            if self._meta.use_bulk:
                self.fast_validation(instance, exclude=errors.keys())
            else:
                self.full_validation(instance, exclude=errors.keys())
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        key = self.instance_key(instance)
        if key is not None and not errors:
            first_row = self._seen_keys.get(key)
            if first_row is not None:
                columns = LIST_SEPARATOR.join(f.column_name for f in self.natural_key_fields())
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    ValidationError(
                        gettext("与第 %(row)s 行重复（%(cols)s 相同）。")
                        % {"row": first_row, "cols": columns},
                        code="duplicate_in_file",
                    )
                )
            else:
                self._seen_keys[key] = self._row_number
        if errors:
            raise ValidationError(
                {self._column_for(k): v for k, v in ValidationError(errors).error_dict.items()}
            )

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self._import_user
        instance._change_reason = self._change_reason
        instance._fao_row = (self._row_number, row)

    def save_m2m(self, instance, row, **kwargs):
        if self._meta.use_bulk or (kwargs.get("dry_run") and not kwargs.get("using_transactions")):
            return
        for attribute, values in getattr(instance, "_fao_m2m", {}).items():
            getattr(instance, attribute).set(values)

    def after_import_row(self, row, row_result, **kwargs):
        if self._progress is not None:
            self._progress(kwargs.get("row_number", 0), row_result)

    # --- bulk path (background imports, the command, the benchmark) -------------------

    def prepare_for_bulk(self, instance) -> None:
        """Whatever the model's save() would have computed (bulk_create skips save())."""

    def _history_kwargs(self) -> dict:
        return {"default_user": self._import_user, "default_change_reason": self._change_reason}

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        objs = list(self.create_instances)
        self.create_instances.clear()
        if not objs or (dry_run and not using_transactions):
            return
        try:
            with transaction.atomic():
                for obj in objs:
                    self.prepare_for_bulk(obj)
                model = self._meta.model
                created = model._default_manager.bulk_create(objs, batch_size=batch_size)
                # Same as simple-history's bulk_create_with_history on databases that
                # return primary keys from a bulk insert (PostgreSQL, SQLite >= 3.35), but
                # keeping the history rows so their many-to-many snapshot can be written.
                history = model.history.bulk_history_create(
                    created, batch_size=batch_size, **self._history_kwargs()
                )
                self._bulk_set_m2m(created, history, replace=False)
        except IntegrityError as error:
            self._locate_batch_errors(objs, error, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        objs = list(self.update_instances)
        self.update_instances.clear()
        if not objs or (dry_run and not using_transactions):
            return
        names = [
            f.attribute for f in self.importable_fields() if not getattr(f.widget, "is_m2m", False)
        ]
        try:
            with transaction.atomic():
                for obj in objs:
                    self.prepare_for_bulk(obj)
                model = self._meta.model
                fields = [model._meta.get_field(n).name for n in names]
                if fields:
                    model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
                history = model.history.bulk_history_create(
                    objs, batch_size=batch_size, update=True, **self._history_kwargs()
                )
                self._bulk_set_m2m(objs, history, replace=True)
        except IntegrityError as error:
            self._locate_batch_errors(objs, error, result)

    def _bulk_set_m2m(self, objs, history_rows, *, replace: bool) -> None:
        model = self._meta.model
        m2m_names = {name for obj in objs for name in getattr(obj, "_fao_m2m", {})}
        history_rows = list(history_rows or [])
        for name in m2m_names:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            touched = [obj for obj in objs if name in getattr(obj, "_fao_m2m", {})]
            if replace:
                through._default_manager.filter(
                    **{f"{source}__in": [o.pk for o in touched]}
                ).delete()
            links = [
                through(**{f"{source}_id": obj.pk, f"{target}_id": other.pk})
                for obj in touched
                for other in obj._fao_m2m[name]
            ]
            links = through._default_manager.bulk_create(links, batch_size=1000)
            # The history row of each record carries the list as it was imported, as
            # simple-history's own m2m tracking would (one row per link, same link id).
            m2m_history = _m2m_history_model(model, field)
            if m2m_history is None or not history_rows:
                continue
            by_pk = {h.id: h for h in history_rows}
            rows = [
                m2m_history(
                    history=by_pk[getattr(link, f"{source}_id")],
                    id=link.pk,
                    **{
                        f"{source}_id": getattr(link, f"{source}_id"),
                        f"{target}_id": getattr(link, f"{target}_id"),
                    },
                )
                for link in links
                if getattr(link, f"{source}_id") in by_pk
            ]
            m2m_history._default_manager.bulk_create(rows, batch_size=1000)

    def _locate_batch_errors(self, objs, error, result) -> None:
        """A batch hit a database constraint: find the rows, so the report names them."""
        located = False
        for obj in objs:
            number, row = getattr(obj, "_fao_row", (0, {}))
            try:
                self.full_validation(obj)
            except ValidationError as e:
                located = True
                if result is not None:
                    result.append_invalid_row(
                        number,
                        row,
                        ValidationError({self._column_for(k): v for k, v in e.error_dict.items()}),
                    )
        if not located and result is not None:
            result.append_base_error(
                Error(
                    ValidationError(
                        gettext("数据库拒绝了这一批记录（%(error)s），未导入任何数据。")
                        % {"error": str(error)[:200]}
                    )
                )
            )

    # --- export --------------------------------------------------------------------------

    def get_export_queryset(self):
        model = self._meta.model
        related, many = [], []
        for field in self.get_export_fields():
            try:
                django_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:  # a declared non-model column
                continue
            if django_field.many_to_many:
                many.append(field.attribute)
            elif django_field.is_relation:
                related.append(field.attribute)
                target = _resource_class_or_none(django_field.related_model)
                if target is not None:
                    related += [f"{field.attribute}__{r}" for r in target.label_select_related]
        queryset = model._default_manager.all().select_related(*related)
        if many:
            queryset = queryset.prefetch_related(*many)
        return queryset.order_by("pk")

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_export_queryset()
        with translation.override("zh-hans"):
            return super().export(queryset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and getattr(field.widget, "escapes", True):
            return escape_formula(value)
        return value

    def get_user_visible_fields(self):
        return [f for f in self.get_import_fields() if not f.readonly or f.attribute == "id"]


def _m2m_history_model(model, field):
    """The historical through model simple-history keeps for `field` (None if untracked)."""
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    for related in model.history.model._meta.related_objects:
        names = {f.name for f in related.related_model._meta.fields}
        if {"history", source, target} <= names:
            return related.related_model
    return None


# --------------------------------------------------------------------------- registry


def _resource_modules():
    """Each installed app's `resources` module, if it has one: an app offers spreadsheets by
    defining its resources there (this app never imports the apps above it by name)."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.resources"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


_REGISTRY: dict[type, type[PortalResource]] | None = None


def _registry() -> dict[type, type[PortalResource]]:
    global _REGISTRY
    if _REGISTRY is None:
        registry: dict[type, type[PortalResource]] = {}
        for module in _resource_modules():
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, PortalResource)
                    and value is not PortalResource
                    and value._meta.model is not None
                    and value.__module__ == module.__name__
                ):
                    registry[value._meta.model] = value
        _REGISTRY = registry
    return _REGISTRY


def _resource_class_or_none(model) -> type[PortalResource] | None:
    return _registry().get(model)


def resource_for(model) -> type[PortalResource]:
    """The ModelResource class used for `model` in the admin and the commands."""
    if isinstance(model, str):
        model = apps.get_model(model)
    res = _resource_class_or_none(model)
    if res is not None:
        return res
    meta = type("Meta", (), {"model": model})
    return type(f"{model.__name__}Resource", (PortalResource,), {"Meta": meta})


def has_resource(model) -> bool:
    """Whether an app offers `model` for spreadsheets (it defines a resource for it)."""
    return _resource_class_or_none(model) is not None


def all_resources() -> dict[type, type[PortalResource]]:
    return dict(_registry())


def row_errors(result) -> list[tuple[int, list[str]]]:
    """(row number, Chinese messages) for every failed row of an import Result, in row
    order. Row numbers count data rows, the header row not included."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                text = str(message)
                if column == NON_FIELD_ERRORS:
                    by_row[invalid.number].append(text)
                else:
                    by_row[invalid.number].append(f"{column}：{text}")
    for error_row in result.error_rows:
        for error in error_row.errors:
            by_row[error_row.number].append(_error_text(error.error))
    return sorted(by_row.items())


def base_errors(result) -> list[str]:
    return [_error_text(e.error) for e in result.base_errors]


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return gettext("处理出错：%(error)s") % {"error": str(error)[:300]}


__all__ = [
    "ID_COLUMN",
    "RowResult",
    "PortalResource",
    "all_resources",
    "base_errors",
    "escape_formula",
    "object_label",
    "resource_for",
    "row_errors",
    "unescape_formula",
    "_",
]
