# Stations placed in a community service facility link the facility register instead of naming it
# (indicator 9 has one reading). An existing station marked as in a facility is linked to the one
# facility in use in its village when there is exactly one; otherwise it is left unlinked for the
# town to place from the station screen.

import django.db.models.deletion
from django.db import migrations, models


def link_stations(apps, schema_editor):
    Station = apps.get_model("volunteers", "Station")
    Facility = apps.get_model("communities", "ServiceFacility")
    for station in Station.objects.filter(in_service_facility=True):
        found = list(Facility.objects.filter(division_code=station.division_code, status="in_use").values_list("id", flat=True)[:2])
        if len(found) == 1:
            Station.objects.filter(pk=station.pk).update(facility_id=found[0])


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0002_facility_volunteer_station_read_from_volunteers'),
        ('socialwork', '0002_agency_linked_to_sociorgs'),
        ('volunteers', '0001_volunteers_stations_hours_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='station',
            name='facility',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='communities.servicefacility', verbose_name='所在社区综合服务设施'),
        ),
        migrations.RunPython(link_stations, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='station',
            name='facility_name',
        ),
        migrations.RemoveField(
            model_name='station',
            name='in_service_facility',
        ),
        migrations.AddField(
            model_name='servicerequest',
            name='social_work_station',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='socialwork.station', verbose_name='对接社会工作站点'),
        ),
    ]
