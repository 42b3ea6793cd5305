"""Local authorities' parameters (an uncertainty section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import CALIBRATED, FITTED, UNSOURCED, param


@dataclass(frozen=True)
class AuthorityParams:
    """Local authorities (one per province): capacities, learning and proposing."""

    awareness_initial: float = param(
        0.611,
        unit="share",
        range="unit",
        role="uncertainty",
        source=FITTED,
        doc="awareness of smart-city options in Jan 2019",
    )
    learning_base: float = param(
        0.0,
        unit="per month",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=CALIBRATED,
        doc="awareness gain without peers",
    )
    learning_peer: float = param(
        0.327,
        unit="per month",
        range="unit",
        role="uncertainty",
        source=FITTED,
        doc="extra awareness gain at full peer success x leadership",
    )
    propose_rate: float = param(
        0.621,
        unit="per month",
        range="unit",
        role="uncertainty",
        source=FITTED,
        doc="chance a fully aware, committed authority proposes",
    )
    political_return: float = param(
        1.0,
        unit="–",
        range="nonnegative",
        spread=(0.0, 3.0),
        role="uncertainty",
        source=(
            "assumption: provinces are ranked in public on citizens' use of online public "
            "services (the e-governance dimension of the PAPI index since 2018, and the DTI's "
            "digital-society pillar), so use is a political return; at 1 a province where half "
            "the people use its services proposes 1.5 times as often as one where nobody does; "
            "range 0 to 3"
        ),
        doc="the proposal chance is multiplied by 1 + this x the province's use (adopted share)",
    )
    leadership_floor: float = param(
        0.5,
        unit="–",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: commitment multiplies the proposal chance by leadership_floor + "
            "leadership, 0.5 to 1.5 (average 1 at the mean leadership of 0.5); "
            "propose_rate is fitted with it"
        ),
        doc="proposal chance multiplier of a province whose leadership commitment is 0",
    )
    value_spread: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: what the province's model leaves out (local priorities, a "
            "champion, an offer from a firm) moves a domain's value by up to +-50%"
        ),
        doc="a domain's value is multiplied by a uniform factor in [1 - spread, 1 + spread)",
    )
    max_active_pilots: int = param(
        3,
        unit="pilots",
        range="count",
        role="uncertainty",
        source=FITTED,
        doc="pilots one province runs at once (centrally-run cities: times city_pilot_factor)",
    )
    city_pilot_factor: int = param(
        2,
        unit="multiplier",
        range="count",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a centrally-run city runs twice as many pilots at once as a province, as "
            "the five cities have larger administrations and far more people to serve (Hanoi and "
            "Ho Chi Minh City over 8 million each, the median province 1.2 million, 2019 census)"
        ),
        doc="how many times max_active_pilots a centrally-run city runs at once",
    )
    leadership_alpha: float = param(
        1.5,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=f"{CALIBRATED}: hesitant authorities",
        doc="alpha of the Beta distribution of leadership commitment",
    )
    leadership_beta: float = param(
        2.0,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=f"{CALIBRATED}: hesitant authorities",
        doc="beta of the Beta distribution of leadership commitment",
    )
    risk_aversion_alpha: float = param(
        2.0,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=CALIBRATED,
        doc="alpha of the Beta distribution of risk aversion",
    )
    risk_aversion_beta: float = param(
        2.0,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=CALIBRATED,
        doc="beta of the Beta distribution of risk aversion",
    )
    risk_weight: float = param(
        2.41,
        unit="–",
        range="nonnegative",
        role="uncertainty",
        source=FITTED,
        doc="how strongly risk aversion x perceived legal risk deters proposing",
    )
    capacity_intercept: float = param(
        0.25,
        unit="share",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: digital capacity is linear in the census urban share, the region table's "
            "only indicator of development; an intercept of 0.25 starts the most rural province "
            "(urban share 0.10) at 0.31 and the median one at 0.39"
        ),
        doc="digital capacity = intercept + slope x urban share (+ city bonus + noise)",
    )
    capacity_urban_slope: float = param(
        0.6,
        unit="–",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a linear rule in the census urban share; a slope of 0.6 spreads "
            "provinces from 0.31 (urban share 0.10) to 0.77 (Da Nang, 0.87), leaving room below 1 "
            "for learning (capacity_learning)"
        ),
        doc="digital capacity gained per unit of urban share",
    )
    capacity_city_bonus: float = param(
        0.15,
        unit="share",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: centrally-run cities run more digital systems than their urban share "
            "alone says; 0.15 puts the five between 0.67 (Hai Phong) and 0.92 (Da Nang)"
        ),
        doc="digital capacity added for centrally-run cities",
    )
    capacity_noise: float = param(
        0.08,
        unit="sd",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: provinces of the same urban share still differ (leadership, earlier "
            "e-government work) by about 0.08, a little less than the spread the urban share "
            "gives (sd 0.10 of 0.6 x urban share)"
        ),
        doc="sd of the province's normal deviation of digital capacity",
    )
    capacity_floor: float = param(
        0.05,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a guard that keeps every province some capacity, not a level: it lies "
            "over three noise sds below the rule's lowest value (0.31), so it almost never binds"
        ),
        doc="lowest starting digital capacity (the rule's value is clipped to [floor, 1])",
    )
    capacity_learning: float = param(
        0.05,
        unit="per success",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: each succeeded pilot adds 0.05, so a province whose six domains all "
            "succeed gains 0.3, about the gap between the median province (0.39) and Hanoi (0.70)"
        ),
        doc="digital capacity gained per successful pilot",
    )
    data_readiness_share: float = param(
        0.6,
        unit="per unit of capacity",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a province's own data lag its digital capacity (0.6 x capacity: 0.19 to "
            "0.55 at the start), so few provinces start at the GIS threshold (data.gis_readiness "
            "0.5; only Da Nang and Ho Chi Minh City before noise) and planning pilots build the "
            "rest"
        ),
        doc="starting data readiness per unit of digital capacity",
    )
    planning_readiness_gain: float = param(
        0.4,
        unit="data readiness",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a succeeded planning pilot builds the urban database / GIS foundation: "
            "0.4 lifts a median province (readiness 0.23) past the GIS threshold "
            "(data.gis_readiness 0.5)"
        ),
        doc="data readiness a succeeded planning pilot adds (capped at 1)",
    )
