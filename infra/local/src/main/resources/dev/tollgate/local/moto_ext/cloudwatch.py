"""CloudWatch: GetMetricData as CloudWatch answers it.

* CloudWatch GetMetricData answers percentile statistics (p99, p99.9) from the raw values put
  with PutMetricData, and leaves out periods that have no value for the statistic
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles);
  moto 5.2.1 fails the whole request with HTTP 500.
* CloudWatch GetMetricData matches a query's dimensions to a metric's as a set, in any order, as
  CloudWatch does; moto 5.2.1 sorts both lists with a broken comparison (Dimension.__lt__ compares a
  value with the other's name), so metrics with three or more dimensions (Lambda's FunctionName,
  Resource, ExecutedVersion) are only found when put and queried in the same order.
* CloudWatch GetMetricData identifies a metric by its namespace, name and whole set of dimensions, as
  CloudWatch does (moto 5.2.1 ignores the namespace when a query has dimensions), and finds it
  through an index kept as data is put: moto 5.2.1 scans every datum ever put for every period of
  every query, seconds of CPU per tick once a few deployments have put latencies, during which the
  server answers nothing else. See index_cloudwatch_metric_data.
"""

import math
import re
import threading
from datetime import timedelta


PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100)$")


def extend_cloudwatch_percentiles():
    from moto.cloudwatch.models import CloudWatchBackend, MetricDatum, Statistics

    original_statistic = Statistics.get_statistics_for_type

    def get_statistics_for_type(self, stat):
        match = PERCENTILE.match(stat or "")
        if not match:
            return original_statistic(self, stat)
        values = sorted(m.value for m in self.metric_data or [] if isinstance(m, MetricDatum))
        if not values:
            # Percentiles need raw values; statistic sets alone give none, as on CloudWatch.
            return None
        rank = math.ceil(float(match.group(1)) / 100 * len(values))
        return values[min(len(values), max(1, rank)) - 1]

    Statistics.get_statistics_for_type = get_statistics_for_type

    original_get_metric_data = CloudWatchBackend.get_metric_data

    def get_metric_data(self, *args, **kwargs):
        results = original_get_metric_data(self, *args, **kwargs)
        for result in results:
            pairs = [(t, v) for t, v in zip(result["timestamps"], result["values"]) if v is not None]
            result["timestamps"] = [t for t, _ in pairs]
            result["values"] = [v for _, v in pairs]
        return results

    CloudWatchBackend.get_metric_data = get_metric_data


def index_cloudwatch_metric_data():
    """GetMetricData finds a query's metric through an index, and matches its namespace as well as its name and dimensions.

    moto 5.2.1 answers every MetricStat query by scanning all the data ever put in the region, and for
    each period of each query sorts the dimensions of every datum of the window again: a tick's query of
    ten metrics costs seconds of one CPU once a few deployments have put their latencies, and the
    server, holding Python's GIL, answers nothing else meanwhile. Here each datum is filed under its
    (namespace, name, dimension set) when it is put, and a query reads only its own. The answer is
    CloudWatch's: a metric is identified by its namespace, name and full set of dimensions
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension);
    moto 5.2.1 ignores the namespace of a query that has dimensions. Requests with metric math or
    Metrics Insights expressions take moto's own path.
    """
    from moto.cloudwatch.models import CloudWatchBackend, Statistics

    def metric_key(namespace, name, dimension_pairs):
        return namespace, name, frozenset(dimension_pairs)

    def index_of(backend):
        return backend.__dict__.setdefault("_tollgate_index", ({}, threading.Lock()))

    original_put = CloudWatchBackend.put_metric_data

    def put_metric_data(self, namespace, metric_data):
        data, lock = index_of(self)
        with lock:
            before = len(self.metric_data)
            original_put(self, namespace, metric_data)
            for datum in self.metric_data[before:]:
                data.setdefault(metric_key(datum.namespace, datum.name, ((d.name, d.value) for d in datum.dimensions)),
                              []).append(datum)

    CloudWatchBackend.put_metric_data = put_metric_data

    original_get_metric_data = CloudWatchBackend.get_metric_data

    def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
        if any("MetricStat" not in query for query in queries):
            return original_get_metric_data(self, queries, start_time, end_time, scan_by)
        start_time = start_time.replace(microsecond=0)
        end_time = end_time.replace(microsecond=0)
        if start_time >= end_time:
            # moto's own checks and messages (EndTime before or equal to StartTime).
            return original_get_metric_data(self, queries, start_time, end_time, scan_by)
        data, lock = index_of(self)
        provided = None
        answers = []
        for query in queries:
            stat_query = query["MetricStat"]
            metric = stat_query["Metric"]
            namespace = metric["Namespace"]
            key = metric_key(namespace, metric["MetricName"], ((d["Name"], d["Value"]) for d in metric.get("Dimensions", [])))
            with lock:
                candidates = list(data.get(key, ()))
            if namespace.startswith("AWS/"):
                if provided is None:
                    provided = self.aws_metric_data
                candidates += [d for d in provided
                               if metric_key(d.namespace, d.name, ((x.name, x.value) for x in d.dimensions)) == key]
            unit = stat_query.get("Unit")
            period = timedelta(seconds=int(stat_query["Period"]))
            buckets = {}
            for datum in candidates:
                if start_time <= datum.timestamp < end_time and (not unit or datum.unit == unit):
                    buckets.setdefault((datum.timestamp - start_time) // period, []).append(datum)
            stat = stat_query["Stat"]
            timestamps, values = [], []
            for bucket in sorted(buckets):
                statistics = Statistics([stat], start_time + bucket * period)
                statistics.metric_data = buckets[bucket]
                value = statistics.get_statistics_for_type(stat)
                if value is not None:
                    timestamps.append(statistics.timestamp)
                    values.append(value)
            if scan_by == "TimestampDescending":
                timestamps.reverse()
                values.reverse()
            if query.get("ReturnData", True):
                answers.append({"id": query["Id"], "label": query.get("Label") or f"{metric['MetricName']} {stat}",
                                "values": values, "timestamps": timestamps, "status_code": "Complete"})
        return answers

    CloudWatchBackend.get_metric_data = get_metric_data


def fix_cloudwatch_dimension_order():
    """Dimensions sort by name, then value, so equal sets compare equal whatever order they came in."""
    from moto.cloudwatch.models import Dimension

    def less_than(self, other):
        return (self.name or "", self.value or "") < (other.name or "", other.value or "")

    Dimension.__lt__ = less_than


def install():
    """Applies the CloudWatch extensions, percentiles first: the index's queries read them."""
    extend_cloudwatch_percentiles()
    index_cloudwatch_metric_data()
    fix_cloudwatch_dimension_order()
